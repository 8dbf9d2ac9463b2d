import { openApiDocument } from './openapi';
import { PROBLEM_BASE, PROBLEM_TYPES } from './problem';

type Json = Record<string, unknown>;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** The few Markdown marks the descriptions use: `code` and paragraphs. */
const md = (s: unknown) =>
  String(s ?? '')
    .split(/\n\n+/)
    .map((p) => `<p>${esc(p).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');

function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).join(' | ');
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
  const t = Array.isArray(schema.type) ? (schema.type as string[]).join(' | ') : String(schema.type ?? 'any');
  return schema.format ? `${t} (${schema.format})` : t;
}

function fieldsTable(schema: Json | undefined, components: Record<string, Json>): string {
  const resolved = schema && typeof schema.$ref === 'string' ? components[schema.$ref.split('/').pop()!] : schema;
  const props = (resolved?.properties ?? {}) as Record<string, Json>;
  if (!Object.keys(props).length) return '';
  const required = new Set((resolved?.required ?? []) as string[]);
  const rows = Object.entries(props)
    .map(([name, p]) => `<tr><td><code>${esc(name)}</code>${required.has(name) ? '' : ' <small>optional</small>'}</td><td><code>${esc(typeOf(p))}</code></td><td>${md(p.description)}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Notes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A readable, self-contained reference page (no scripts, no external assets) generated from the OpenAPI document. */
export function referencePage(): string {
  const doc = openApiDocument() as { info: Json; tags: { name: string; description: string }[]; paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };
  const components = doc.components.schemas;
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  const sections = doc.tags
    .map((tag) => {
      const ops = operations.filter((o) => (o.op.tags as string[])[0] === tag.name);
      const body = ops
        .map(({ path, method, op }) => {
          const params = (op.parameters ?? []) as Json[];
          const paramRows = params
            .filter((p) => !p.$ref)
            .map((p) => `<tr><td><code>${esc(p.name)}</code> <small>${esc(p.in)}${p.required ? '' : ', optional'}</small></td><td><code>${esc(typeOf(p.schema as Json))}</code></td><td>${md(p.description)}</td></tr>`)
            .join('');
          const request = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Json }> | undefined;
          const responses = op.responses as Record<string, Json>;
          const ok = Object.entries(responses).find(([s]) => s.startsWith('2'));
          const okSchema = (ok?.[1].content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
          const problems = Object.keys(responses).filter((s) => Number(s) >= 400);
          return `<section class="op" id="${esc(op.operationId)}">
<h3><span class="m m-${method.toLowerCase()}">${method}</span> <code>${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)} · scope <code>${esc(op['x-required-scope'])}</code>${params.some((p) => p.$ref) ? ' · accepts <code>Idempotency-Key</code>' : ''}</p>
${md(op.description)}
${paramRows ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>Type</th><th>Notes</th></tr></thead><tbody>${paramRows}</tbody></table>` : ''}
${request ? `<h4>Request body</h4>${fieldsTable(request['application/json']!.schema, components)}` : ''}
${ok ? `<h4>Response ${esc(ok[0])}</h4>${okSchema ? `<p><code>${esc(typeOf(okSchema))}</code></p>${fieldsTable(okSchema, components)}` : '<p>No body.</p>'}` : ''}
<p class="problems">Problems: ${problems.map((s) => `<code>${s}</code>`).join(' ')}</p>
</section>`;
        })
        .join('\n');
      return `<section id="tag-${esc(tag.name)}"><h2>${esc(tag.name)}</h2><p>${esc(tag.description)}</p>${body}</section>`;
    })
    .join('\n');
  const models = Object.entries(components)
    .map(([name, schema]) => `<section id="model-${esc(name)}"><h3>${esc(name)}</h3>${md(schema.description)}${fieldsTable(schema, components)}</section>`)
    .join('\n');
  const problemRows = Object.entries(PROBLEM_TYPES)
    .map(([type, p]) => `<tr><td><code>${esc(PROBLEM_BASE + type)}</code></td><td>${p.status}</td><td>${esc(p.title)}</td></tr>`)
    .join('');
  const nav = doc.tags
    .map((t) => `<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a><ul>${operations
      .filter((o) => (o.op.tags as string[])[0] === t.name)
      .map((o) => `<li><a href="#${esc(o.op.operationId)}">${esc(o.method)} ${esc(o.path.replace('/api/v1', ''))}</a></li>`)
      .join('')}</ul></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lectern REST API reference</title>
<style>
body{font:15px/1.55 system-ui,sans-serif;color:#0f172a;margin:0;display:grid;grid-template-columns:17rem 1fr}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f8fafc;border-right:1px solid #e2e8f0;padding:1rem;font-size:13px}
nav ul{list-style:none;padding-left:.75rem;margin:.25rem 0}nav a{color:#334155;text-decoration:none}nav a:hover,nav a:focus{text-decoration:underline}
main{padding:1.5rem 2.5rem;max-width:62rem}h1{margin-top:0}h2{border-bottom:2px solid #e2e8f0;padding-bottom:.25rem;margin-top:2.5rem}
.op{border:1px solid #e2e8f0;border-radius:.5rem;padding:.25rem 1rem 1rem;margin:1rem 0}.summary{color:#334155}
.m{display:inline-block;min-width:3.6rem;text-align:center;border-radius:.25rem;padding:0 .4rem;color:#fff;font-size:12px}
.m-get{background:#1d4ed8}.m-post{background:#047857}.m-patch{background:#b45309}.m-delete{background:#b91c1c}
table{border-collapse:collapse;width:100%;font-size:13px;margin:.5rem 0}th,td{text-align:left;border-bottom:1px solid #e2e8f0;padding:.35rem .5rem;vertical-align:top}
td p{margin:0}code{background:#f1f5f9;padding:0 .2rem;border-radius:.2rem;font-size:12.5px}small{color:#475569}.problems{font-size:13px;color:#475569}
</style></head><body>
<nav aria-label="API reference"><p><strong>Lectern API v1</strong></p><ul><li><a href="#intro">Introduction</a></li><li><a href="#errors">Errors</a></li>${nav}<li><a href="#models">Models</a></li></ul><p><a href="/api/v1/openapi.json">openapi.json</a></p></nav>
<main>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<section id="intro">${md(doc.info.description)}
<p>Try it: <code>curl -H "Authorization: Bearer $LECTERN_KEY" https://&lt;your Lectern&gt;/api/v1/courses?limit=10</code></p></section>
<section id="errors"><h2>Errors</h2><p>Every failure is <code>application/problem+json</code> with one of these types:</p>
<table><thead><tr><th>type</th><th>status</th><th>title</th></tr></thead><tbody>${problemRows}</tbody></table></section>
${sections}
<section id="models"><h2>Models</h2>${models}</section>
</main></body></html>`;
}
