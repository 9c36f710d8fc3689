/**
 * The request id on the worker's side: the workflow interceptors (@kinerja/workflows, observability.ts) put the
 * REQUEST_ID_HEADER of the call that caused an activity on the activity's headers; this activity interceptor reads it
 * and adds `requestId` to the activity's log attributes (the SDK's own activity log lines, Context.current().log) and,
 * through `withRequestId`, to the lines the activities write to their ActivityLog. One user action can so be followed
 * from the API's access log through the workflow to the database writes.
 */
import { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { decodeRequestId, REQUEST_ID_HEADER } from '@kinerja/workflows';
import type { ActivityLog } from '../activities/index.js';

const requestIds = new WeakMap<Context, string>();

export const requestIdActivityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    execute: (input, next) => {
      const id = decodeRequestId(input.headers[REQUEST_ID_HEADER]);
      if (id) requestIds.set(ctx, id);
      return next(input);
    },
  },
  outbound: {
    getLogAttributes: (input, next) => {
      const id = requestIds.get(ctx);
      return next(id ? { ...input, requestId: id } : input);
    },
  },
});

/** The request id of the activity running now; undefined outside an activity or when its call carried none. */
export function currentRequestId(): string | undefined {
  try {
    return requestIds.get(Context.current());
  } catch {
    return undefined; // not inside an activity (the dispatcher, a unit test)
  }
}

/** `log` with the running activity's request id added to every line's meta. */
export const withRequestId = (log: ActivityLog): ActivityLog => {
  const meta = (m: Record<string, unknown> | undefined) => {
    const requestId = currentRequestId();
    return requestId ? { ...m, requestId } : m;
  };
  return { info: (m, x) => log.info(m, meta(x)), warn: (m, x) => log.warn(m, meta(x)) };
};
