/**
 * The request id's Temporal header, one contract for both sides: the API puts the id of the HTTP request behind a
 * workflow start, update, signal or query on REQUEST_ID_HEADER; the workflow interceptors (observability.ts) pass it
 * on to the activities; the worker reads it into its log lines. A string, through the default payload converter.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/workflow';

export const REQUEST_ID_HEADER = 'kinerja-request-id';

export const encodeRequestId = (requestId: string): Payload => defaultPayloadConverter.toPayload(requestId);

/** The header's string; anything else (another converter's payload, an absurd length) is no request id. */
export function decodeRequestId(payload: Payload | undefined): string | undefined {
  if (!payload) return undefined;
  try {
    const v: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof v === 'string' && v !== '' && v.length <= 200 ? v : undefined;
  } catch {
    return undefined;
  }
}
