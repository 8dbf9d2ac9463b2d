import { z } from 'zod';
import { v } from '@/lib/i18n/validation';

/** Shared input shapes for people. Emails are stored lower-cased. */
export const EmailSchema = z.string().trim().toLowerCase().max(254, v('emailTooLong')).pipe(z.email(v('emailInvalid')));
export const NameSchema = z.string().trim().min(1, v('nameMissing')).max(120, v('nameTooLong'));

/** A page number from a query string: anything odd (1.5, -2, Infinity, arrays) reads as page 1. */
export const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);
