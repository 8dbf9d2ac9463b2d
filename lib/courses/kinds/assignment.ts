import { LIMITS, parseAssignmentSettings, type AssignmentContent } from '@/lib/assignments/rules';
import { ValidationError } from '@/lib/errors';
import { sanitizeRichText } from '../sanitize';
import { defineKind } from './types';

export type { AssignmentContent } from '@/lib/assignments/rules';

/**
 * An assignment: instructions, what learners may hand in (text, files, a link), points or a rubric, a due
 * date with a late policy, and whether they may resubmit. Completed by submitting. Submissions and grading
 * live in lib/assignments.
 */
export const assignment = defineKind<AssignmentContent>({
  kind: 'assignment',
  async parseContent(raw) {
    const html = typeof raw.instructionsHtml === 'string' ? raw.instructionsHtml : '';
    if (html.length > LIMITS.instructionsHtml) throw new ValidationError('instructionsTooLong', { field: 'instructionsHtml', params: { limit: LIMITS.instructionsHtml } });
    const settings = parseAssignmentSettings(raw);
    return { instructionsHtml: await sanitizeRichText(html), ...settings };
  },
  completion: () => 'submission',
  async forDisplay(content) {
    return { ...content, instructionsHtml: await sanitizeRichText(content.instructionsHtml ?? '') };
  },
});
