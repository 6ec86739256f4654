import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RuntimeResponse } from '@golden-path/common';
import express from 'express';
import Router from 'express-promise-router';
import { parseQuery, runtimeQuery } from '../queryParams';
import { RuntimeService } from './kubernetesRuntime';

/** `GET /runtime?ref=…`: what runs per environment for up to a page of components (see README.md). */
export function createRuntimeRouter(options: {
  httpAuth: HttpAuthService;
  runtime: RuntimeService;
}): express.Router {
  const router = Router();
  router.get('/runtime', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const refs = parseQuery(runtimeQuery, req.query);
    res.setHeader('Cache-Control', 'private, no-store');
    const body: RuntimeResponse = {
      items: await options.runtime.getRuntime(refs, { credentials }),
    };
    res.json(body);
  });
  return router;
}
