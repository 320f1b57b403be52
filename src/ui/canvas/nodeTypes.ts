import HostNode from './host/HostNode.tsx';
import PodNode from './pod/PodNode.tsx';
import BridgeNode from './bridge/BridgeNode.tsx';
import TunnelNode from './tunnel/TunnelNode.tsx';
import NicNode from './nic/NicNode.tsx';
import NetworkNode from './network/NetworkNode.tsx';
import ServiceNode from './service/ServiceNode.tsx';
import ExternalNode from './external/ExternalNode.tsx';
import RouterNode from './router/RouterNode.tsx';

/** One React Flow node type per concept; defined once, outside any component. */
export const nodeTypes = {
  host: HostNode,
  pod: PodNode,
  bridge: BridgeNode,
  tunnel: TunnelNode,
  nic: NicNode,
  network: NetworkNode,
  service: ServiceNode,
  external: ExternalNode,
  router: RouterNode,
};
