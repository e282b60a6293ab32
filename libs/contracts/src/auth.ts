import { z } from 'zod';
import { isoDateSchema, nameSchema, slugSchema } from './common';
import { roleSchema } from './orgs';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.'));
export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters.')
  .max(200, 'Use at most 200 characters.');

export const signupInputSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
  organizationName: nameSchema.optional(),
});
export type SignupInput = z.infer<typeof signupInputSchema>;

export const loginInputSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
});
export type LoginInput = z.infer<typeof loginInputSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: isoDateSchema,
});
export type UserDto = z.infer<typeof userSchema>;

export const membershipSummarySchema = z.object({
  organizationId: z.string(),
  slug: slugSchema,
  name: z.string(),
  role: roleSchema,
});

export const sessionSchema = z.object({
  user: userSchema,
  organizations: z.array(membershipSummarySchema),
  csrfToken: z.string(),
  expiresAt: isoDateSchema,
});
export type SessionDto = z.infer<typeof sessionSchema>;
