import { Handle, type HandleProps } from '@xyflow/react';
import parts from './parts.module.css';

/** Where a wire (veth, uplink, tunnel) meets a box: not shown, never grabbed. */
export default function WireHandle(props: Omit<HandleProps, 'className' | 'isConnectable'>) {
  return <Handle {...props} className={parts.wireHandle} isConnectable={false} />;
}
