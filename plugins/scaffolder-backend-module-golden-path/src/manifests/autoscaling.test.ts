import { AutoscalingSpec, buildAutoscaler, ceilingOf } from './autoscaling';
import { schemaProblems } from './testing/schemaProblems';

const blackFriday = {
  name: 'black-friday',
  start: '0 0 27 11 *',
  end: '0 0 1 12 *',
  timezone: 'Europe/Berlin',
  environments: ['prod'],
  min: 10,
  max: 40,
};

const prod: AutoscalingSpec = {
  name: 'payments-api',
  workload: 'service',
  environment: 'prod',
  engine: 'keda',
  bounds: { min: 3, max: 20 },
  peakWindows: [blackFriday],
};

const worker: AutoscalingSpec = {
  ...prod,
  name: 'invoice-worker',
  workload: 'worker',
  environment: 'dev',
  bounds: { min: 1, max: 2 },
  peakWindows: [],
  natsJetStreamLag: {
    monitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
    account: '$G',
    stream: 'invoice-worker-jobs',
    consumer: 'invoice-worker',
    lagThreshold: 10,
  },
};

describe('autoscaling', () => {
  it('builds ScaledObjects and HPAs that pass their published schemas', () => {
    expect(
      schemaProblems([
        buildAutoscaler(prod),
        buildAutoscaler(worker),
        buildAutoscaler({ ...prod, engine: 'hpa', peakWindows: [] }),
      ]),
    ).toEqual([]);
  });

  it('keeps the ordinary floor, raises it in each peak window and lets the window max be reached', () => {
    const scaled = buildAutoscaler(prod) as any;
    expect(scaled.kind).toBe('ScaledObject');
    expect(scaled.spec).toMatchObject({
      scaleTargetRef: { name: 'payments-api' },
      minReplicaCount: 3,
      maxReplicaCount: 40,
    });
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'cpu',
        name: 'cpu',
        metricType: 'Utilization',
        metadata: { value: '70' },
      },
      {
        type: 'cron',
        name: 'peak-black-friday',
        metadata: {
          timezone: 'Europe/Berlin',
          start: '0 0 27 11 *',
          end: '0 0 1 12 *',
          desiredReplicas: '10',
        },
      },
    ]);
    expect(ceilingOf({ ...prod, peakWindows: [] })).toBe(20);
  });

  it('scales up fast and down slowly', () => {
    for (const object of [
      (buildAutoscaler(prod) as any).spec.advanced
        .horizontalPodAutoscalerConfig,
      (buildAutoscaler({ ...prod, engine: 'hpa' }) as any).spec,
    ]) {
      expect(object.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
      expect(
        object.behavior.scaleDown.stabilizationWindowSeconds,
      ).toBeGreaterThanOrEqual(300);
    }
  });

  it('scales a worker on its JetStream consumer lag too', () => {
    const triggers = (buildAutoscaler(worker) as any).spec.triggers;
    expect(triggers.map((t: any) => t.type)).toEqual(['cpu', 'nats-jetstream']);
    expect(triggers[1].metadata).toEqual({
      natsServerMonitoringEndpoint: 'nats.nats.svc.cluster.local:8222',
      account: '$G',
      stream: 'invoice-worker-jobs',
      consumer: 'invoice-worker',
      lagThreshold: '10',
    });
  });

  it('writes a plain HPA with the environment bounds for clusters without KEDA', () => {
    const hpa = buildAutoscaler({ ...prod, engine: 'hpa' }) as any;
    expect(hpa.kind).toBe('HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
  });
});
