// The Linux lab script generator: loaded on demand (only `Run in Linux` needs it).
export { labScript } from '../sim/lab/index.ts';
