export { sandboxUp } from './up.js';
export { sandboxDown } from './down.js';
export { sandboxStatus } from './status.js';
export { SANDBOX_IMAGE } from './image.js';
export type * from './spec-types.js';
export type * from './state-types.js';
