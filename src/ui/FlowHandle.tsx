// For the benchmark only: hands the React Flow instance to the page so a script
// can pan and zoom it frame by frame.
import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';

export default function FlowHandle() {
  const flow = useReactFlow();
  useEffect(() => {
    (window as unknown as { __flow: unknown }).__flow = flow;
  }, [flow]);
  return null;
}
