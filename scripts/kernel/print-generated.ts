// Print one of the differential's generated scenarios, to re-run a failure by hand:
//   node bin/tsx-run.mjs scripts/kernel/print-generated.ts flannel-vxlan 15851 udp > /tmp/s.yaml
//   npx podpath lab /tmp/s.yaml > lab.sh && sudo bash lab.sh up && sudo bash lab.sh probe
import type { CniMode } from '../../src/sim/model.ts';
import { generateScenario } from './generate.ts';

const [cni, seed, udp] = process.argv.slice(2);
process.stdout.write(generateScenario(cni as CniMode, Number(seed), udp === 'udp').yaml);
