import { defineProblems } from '@mallard/platform';

/** What a shopper or customer service is told when evidence cannot be attached or opened. */
export const evidenceProblems = defineProblems('after-sales', {
  typeUnsupported: {
    slug: 'evidence-type-unsupported',
    status: 415,
    title: 'Evidence file type not accepted',
    description:
      'A file is not a JPEG, PNG or WebP photo or an MP4 video, judged by its content (not its name), or its structure cannot be read. Nothing of the upload was kept.',
    extensions: ['filename', 'detected'],
    create: (filename: string, detected: string) => ({
      detail: `${filename} is ${detected}: attach JPEG, PNG or WebP photos or MP4 videos`,
      extensions: { filename, detected },
    }),
  },
  tooLarge: {
    slug: 'evidence-too-large',
    status: 413,
    title: 'Evidence file too large',
    description: 'A file is larger than the service takes (`EVIDENCE_MAX_FILE_BYTES`). Nothing of the upload was kept.',
    extensions: ['filename', 'maxBytes'],
    create: (filename: string, maxBytes: number) => ({
      detail: `${filename} is larger than ${maxBytes} bytes`,
      extensions: { filename, maxBytes },
    }),
  },
  limitReached: {
    slug: 'evidence-limit-reached',
    status: 422,
    title: 'Too many evidence files',
    description: 'The request would carry more than `limit` files with those it has (`alreadyStored`). Nothing of the upload was kept.',
    extensions: ['limit', 'alreadyStored'],
    create: (limit: number, alreadyStored: number, uploaded: number) => ({
      detail: `a request carries at most ${limit} files: it has ${alreadyStored}, ${uploaded} more were sent`,
      extensions: { limit, alreadyStored },
    }),
  },
  linkInvalid: {
    slug: 'evidence-link-invalid',
    status: 403,
    title: 'Evidence link invalid or expired',
    description:
      'The link was not made for this caller, was altered, or has expired. Read the request again for fresh links. Members: `reason` (`invalid`, `expired`).',
    extensions: ['reason'],
    create: (reason: 'invalid' | 'expired') => ({
      detail: reason === 'expired' ? 'the link has expired' : 'the link was not made for you or was altered',
      extensions: { reason },
    }),
  },
  notFound: {
    slug: 'evidence-not-found',
    status: 404,
    title: 'Evidence file not found',
    description: 'The request has no evidence file with this id.',
    create: (requestId: string, fileId: string) => ({ detail: `request ${requestId} has no evidence file ${fileId}` }),
  },
});
