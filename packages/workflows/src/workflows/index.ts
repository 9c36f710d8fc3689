// Workflow entry point bundled by the worker (workflowsPath). Implementations live beside this file.
export { evaluationWorkflow } from './evaluation.js';
export { cycleWorkflow } from './cycle.js';
export { simulationWorkflow } from './simulation.js';
export { maintenanceWorkflow } from './maintenance.js';
