import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import {
  entityQuery,
  exportQuery,
  filtersQuery,
  listQuery,
  parseQuery,
  rollupsQuery,
  trendsQuery,
} from './queryParams';
import { SecretsStatus } from './secretsStatus';
import { ServiceInsightsService } from './services/ServiceInsightsService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  serviceInsights: ServiceInsightsService;
  /** How many days of snapshots are kept; `/trends` asks for at most this many. */
  retentionDays: number;
  /** Which declared secrets exist in the secret manager; the /secrets route is served only when given. */
  secretsStatus?: SecretsStatus;
}

/**
 * The HTTP API of service-insights (see README.md); the contract types are in `@golden-path/common`
 * (`serviceInsights.ts`). Only HTTP happens here: who is calling, which parameters, which status.
 */
export async function createRouter({
  httpAuth,
  serviceInsights,
  retentionDays,
  secretsStatus,
}: RouterOptions): Promise<express.Router> {
  const router = Router();

  // Every answer depends on who asks, so no shared cache may keep it.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    next();
  });

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/services', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseQuery(listQuery, req.query);
    res.json(await serviceInsights.listServices(query, { credentials }));
  });

  router.get('/services/export.csv', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseQuery(exportQuery, req.query);
    const csv = await serviceInsights.exportCsv(query, { credentials });
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', 'attachment; filename="services.csv"');
    res.send(csv);
  });

  router.get('/rollups', async (req, res) => {
    const credentials = await credentialsOf(req);
    const filter = parseQuery(rollupsQuery, req.query);
    res.json(await serviceInsights.getRollups(filter, { credentials }));
  });

  router.get('/entity', async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = parseQuery(entityQuery, req.query);
    res.json(await serviceInsights.getService(ref, { credentials }));
  });

  router.get('/filters', async (req, res) => {
    const credentials = await credentialsOf(req);
    parseQuery(filtersQuery, req.query);
    res.json(await serviceInsights.getFilterOptions({ credentials }));
  });

  router.get('/trends', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseQuery(trendsQuery(retentionDays), req.query);
    res.json(await serviceInsights.getTrend(query, { credentials }));
  });

  if (secretsStatus) {
    // Existence only, per declared secret and environment; never a value.
    router.get('/secrets', async (req, res) => {
      const credentials = await credentialsOf(req);
      const ref = parseQuery(entityQuery, req.query);
      res.json(await secretsStatus(ref, { credentials }));
    });
  }

  return router;
}
