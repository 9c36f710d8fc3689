/**
 * Deterministic ids of an SKP's rows, shared by the workflow (which refuses realisations for indicators the SKP does
 * not have) and the projection (a retried write creates the same rows). Zod-free and Temporal-free: workflow code
 * imports it.
 */
export const rhkId = (evaluationId: string, i: number) => `${evaluationId}-r${i + 1}`;
export const indicatorId = (evaluationId: string, i: number, j: number) => `${evaluationId}-r${i + 1}-i${j + 1}`;
