import { describeContent, detectEvidenceType, type EvidenceContentType, MAX_EVIDENCE_FILES } from './evidence-type.js';
import { stripLocation } from './location-stripping.js';

/** One file of an upload as the multipart parser handed it over. */
export interface EvidenceUpload {
  /** The name the client gave, used only to say which file a refusal is about. */
  filename?: string | null;
  bytes: Uint8Array;
  /** The parser stopped reading it at its size limit: it is larger than that. */
  truncated?: boolean;
}

/** A file fit to store: its type told from its content, its location metadata gone. */
export interface PreparedEvidence {
  filename: string;
  contentType: EvidenceContentType;
  bytes: Buffer;
}

export type EvidenceRefusal =
  | { kind: 'limit-reached'; limit: number; alreadyStored: number; uploaded: number }
  | { kind: 'too-large'; filename: string; maxBytes: number }
  | { kind: 'type-unsupported'; filename: string; detected: string };

export type EvidencePreparation = { ok: true; files: PreparedEvidence[] } | { ok: false; refusal: EvidenceRefusal };

/**
 * Checks an upload as a whole and prepares its files: the request keeps at most nine files in
 * all, each within the size limit and a JPEG, PNG, WebP or MP4 by its content. One bad file
 * refuses the upload, so the shopper never has to work out which of their photos were kept.
 */
export function prepareEvidence(
  uploads: readonly EvidenceUpload[],
  { alreadyStored, maxFileBytes }: { alreadyStored: number; maxFileBytes: number },
): EvidencePreparation {
  if (alreadyStored + uploads.length > MAX_EVIDENCE_FILES) {
    return { ok: false, refusal: { kind: 'limit-reached', limit: MAX_EVIDENCE_FILES, alreadyStored, uploaded: uploads.length } };
  }
  const files: PreparedEvidence[] = [];
  for (const [index, upload] of uploads.entries()) {
    const filename = displayName(upload.filename, index);
    if (upload.truncated || upload.bytes.length > maxFileBytes) {
      return { ok: false, refusal: { kind: 'too-large', filename, maxBytes: maxFileBytes } };
    }
    const contentType = detectEvidenceType(upload.bytes);
    if (!contentType) return { ok: false, refusal: { kind: 'type-unsupported', filename, detected: describeContent(upload.bytes) } };
    const stripped = stripLocation(contentType, upload.bytes);
    if (!stripped.ok) return { ok: false, refusal: { kind: 'type-unsupported', filename, detected: stripped.reason } };
    files.push({ filename, contentType, bytes: stripped.bytes });
  }
  return { ok: true, files };
}

/**
 * The client's file name, fit to quote in a refusal: control characters out (a name is any
 * bytes the client likes), at most 100 characters; "file 2" when it gave none.
 */
export function displayName(filename: string | null | undefined, index: number): string {
  const cleaned = [...(filename ?? '').replace(/\p{Cc}/gu, '').trim()].slice(0, 100).join('');
  return cleaned.length > 0 ? cleaned : `file ${index + 1}`;
}
