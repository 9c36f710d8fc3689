export * from './contracts.js';
export * from './commands.js';
export { rhkId, indicatorId } from './ids.js';
export type * from './activities-contract.js';
export { PROJECTION_REJECTED } from './activities-contract.js';
export type { CycleRunInput } from './workflows/cycle.js';
export { appealWindowClosed, initialView, openingTime } from './workflows/machine.js';
export { decodeRequestId, encodeRequestId, REQUEST_ID_HEADER } from './request-id.js';
export * from './search-attributes.js';
