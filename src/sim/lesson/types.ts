// A lesson: a scenario and the steps a teacher walks a class through. Written as a
// `podpath.dev/v1alpha1` `Lesson` document (see read.ts for the format), checked
// step by step against the cluster as it is at that step (check.ts).
import type { CniMode, ContainerPort, Protocol, Scenario } from '../model.ts';
import type { PodpathIssue, PodpathWarning, WarningCode } from '../errors.ts';
import type { ContainerPorts } from '../addressInUse.ts';
import type { Trace, TraceRequest, Verdict } from '../trace/types.ts';

/** Something a step points at: the CLI's spelling (`pod/NS/NAME`, `node/NAME`, …). */
export type LessonRef =
  | { kind: 'pod' | 'service' | 'deployment'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  /** A device drawn inside a node: cni0, eth0, flannel.1, or a pod's host-side veth. */
  | { kind: 'device'; node: string; device: string }
  | { kind: 'external' }
  | { kind: 'node-network' };

/** One change to the cluster, made at the start of a step. */
export type LessonEdit =
  | { kind: 'delete'; target: { kind: 'pod' | 'service'; namespace: string; name: string } | { kind: 'node'; name: string } }
  | {
      kind: 'addPod';
      namespace: string;
      name: string;
      node: string;
      labels?: Record<string, string>;
      ports?: ContainerPort[];
      /** The pod's containers with their ports, when the lesson names them (instead of `ports`): two on one port cannot both bind it. */
      containers?: ContainerPorts[];
    }
  | { kind: 'hostPort'; pod: { namespace: string; name: string }; containerPort: number; protocol: Protocol; hostPort: number }
  | { kind: 'scale'; deployment: { namespace: string; name: string }; replicas: number }
  | { kind: 'move'; pod: { namespace: string; name: string }; node: string };

/** What a person predicts before the packet moves. */
export type PredictPart = 'answer' | 'verdict' | 'source' | 'devices';
export const PREDICT_PARTS: readonly PredictPart[] = ['answer', 'verdict', 'source', 'devices'];

export interface LessonQuestion {
  /** The teacher's question, as asked. */
  ask: string;
  /** Which parts the class predicts (the answers come from the trace, never from the file). */
  parts: PredictPart[];
}

export interface LessonPacket {
  request: TraceRequest;
  /** Which of kube-proxy's endpoints this walk follows (0-based, in the trace's candidates order). */
  endpoint: number;
  /** Play the reply too. */
  reply: boolean;
}

/**
 * What the teacher says the trace shows, checked against the engine's trace when
 * the lesson is read: a lesson whose narration the engine no longer backs fails to
 * load instead of teaching something false.
 */
export interface LessonExpect {
  verdict?: Verdict;
  /** `namespace/name` of the pod that answers, or null: no pod answers. */
  answeredBy?: string | null;
  /** The source address the receiving socket sees, or null: nobody receives it. */
  sourceSeen?: string | null;
  /** How many pods kube-proxy could pick, or which (`namespace/name`, in any order). */
  candidates?: number | string[];
  /** Texts that some hop's explanation contains (request or reply). */
  mentions?: string[];
  /** `NETNS/DEVICE` places the request crosses, e.g. `node-1/flannel.1`. */
  crosses?: string[];
  /** `NETNS/DEVICE` places it does not cross, e.g. `node-1/eth0`. */
  avoids?: string[];
  /** The step's edit is refused, with a reason containing this text. */
  refused?: string;
  /** What the engine warns of at this step (typed codes, e.g. `address-in-use`). */
  warns?: WarningCode[];
}

/** A step as written (refs and edits read, not yet checked against a cluster). */
export interface LessonStepSource {
  title?: string;
  say: string;
  highlight: LessonRef[];
  cni?: CniMode;
  edits: LessonEdit[];
  packet?: LessonPacket;
  question?: LessonQuestion;
  expect?: LessonExpect;
}

export type LessonScenarioSource = { kind: 'file'; file: string } | { kind: 'inline'; text: string };

/** A lesson file as read, before its steps are checked against its scenario. */
export interface LessonSource {
  /** The file it came from (as the person named it), for every message. */
  source: string;
  name: string;
  title: string;
  summary?: string;
  scenario: LessonScenarioSource;
  steps: LessonStepSource[];
  /** The line of a field (`['spec', 'steps', 2, 'packet', 'to']`) in the file, when known. */
  lineOf?: (path: (string | number)[]) => number | undefined;
}

/** A step checked against the cluster as it is at that step. */
export interface LessonStep extends LessonStepSource {
  /** The cluster at this step: the lesson's scenario after every earlier step's changes and this one's. */
  scenario: Scenario;
  /** What this step's changes did, in words (from the engine's result, e.g. the new pod's name and address). */
  changes: string[];
  /** The step's edit was refused (as the lesson expects): the engine's reason. The cluster is as before. */
  refusal?: string;
  /** What the engine warns of after this step's changes (e.g. two containers on one port). */
  warnings: PodpathWarning[];
  /** The engine's trace of the step's packet. */
  trace?: Trace;
}

export interface Lesson {
  source: string;
  name: string;
  title: string;
  summary?: string;
  /** The cluster before the first step. */
  scenario: Scenario;
  steps: LessonStep[];
}

/** A problem in a lesson file: which file, which step (1-based), which field, why. */
export type LessonIssue = PodpathIssue & {
  step?: number;
};
