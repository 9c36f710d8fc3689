/**
 * The request id that ties a user's action to everything the worker does for it. The API puts it on workflow starts,
 * updates and signals as the Temporal header REQUEST_ID_HEADER (a string, default payload converter); the workflow
 * interceptors below pass it on to the activities, local activities and child workflows that call causes, and the
 * worker's activity interceptor writes it into the activity's log attributes.
 *
 * This module is also the workflow interceptor module the worker bundles (`workflowInterceptorModules`): it runs in
 * the workflow sandbox, so it only moves header payloads around (no I/O, no clock, nothing that changes commands'
 * types). Each inbound call runs in an AsyncLocalStorage context holding its header, and the context follows the
 * call's promise chains: a projection an update enqueues carries that update's id, while the main loop's timer work
 * carries the start's.
 */
import { AsyncLocalStorage, type Payload, type WorkflowInterceptors } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from './request-id.js';

type Headers = Record<string, Payload>;
/** the sandbox's AsyncLocalStorage (its type named through the SDK's export, not node:async_hooks) */
type Storage = InstanceType<typeof AsyncLocalStorage<Payload | undefined>>;

/** `headers` with the request id of the current call added, unless it has one already */
const forwarded = (storage: Storage, headers: Headers): Headers => {
  const id = storage.getStore();
  return id && !headers[REQUEST_ID_HEADER] ? { ...headers, [REQUEST_ID_HEADER]: id } : headers;
};

/** One storage per workflow: the factory runs once for each workflow the worker creates. */
export function interceptors(): WorkflowInterceptors {
  const storage = new AsyncLocalStorage<Payload | undefined>();
  // a call without the header keeps the one it runs inside of (none for the workflow's start)
  const within = <T>(headers: Headers, fn: () => T): T => (headers[REQUEST_ID_HEADER] ? storage.run(headers[REQUEST_ID_HEADER], fn) : fn());
  return {
    inbound: [
      {
        execute: (input, next) => within(input.headers, () => next(input)),
        handleSignal: (input, next) => within(input.headers, () => next(input)),
        handleUpdate: (input, next) => within(input.headers, () => next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: forwarded(storage, input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: forwarded(storage, input.headers) }),
        startChildWorkflowExecution: (input, next) => next({ ...input, headers: forwarded(storage, input.headers) }),
      },
    ],
  };
}
