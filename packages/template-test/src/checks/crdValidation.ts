// Validates custom resources against their project's own CRD schema, strictly: a field the schema does not declare
// is an error (as `kubectl apply --validate=strict` reports it), so a guessed field cannot pass.
import Ajv, { type ValidateFunction } from 'ajv';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import type { K8sObject } from './manifests.ts';

/**
 * Where the CRDs are: `KUBE_CRDS_DIR`, else the folder ./scripts/test fills in this repository (ensure_kube_crds in
 * scripts/lib/kube-tools.sh); undefined when neither exists, so kinds without a published model stay unknown.
 */
export function crdsDir(): string | undefined {
  const dir =
    process.env.KUBE_CRDS_DIR ??
    resolve(import.meta.dirname, '../../../../.tools/kube/crds');
  return existsSync(dir) ? dir : undefined;
}

/** Every CRD file we have, by `<group>/<kind>`. */
export function crdFiles(): Map<string, string> {
  const dir = crdsDir();
  const byKind = new Map<string, string>();
  if (!dir) return byKind;
  for (const file of readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const doc of YAML.parseAllDocuments(
      readFileSync(join(dir, file), 'utf8'),
    )) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      byKind.set(`${crd.spec.group}/${crd.spec.names.kind}`, join(dir, file));
    }
  }
  return byKind;
}

const validators = new Map<string, ValidateFunction>();

/** The CRD's schema with `additionalProperties: false` wherever it lists properties and keeps no unknown fields. */
function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: any = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [k, strict(v)]),
          )
        : strict(value);
  }
  // OpenAPI 3.0 (what CRDs use) spells exclusive bounds as booleans next to minimum/maximum.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ]) {
    if (typeof copy[exclusive] === 'boolean') {
      if (copy[exclusive]) copy[exclusive] = copy[bound];
      else delete copy[exclusive];
      if (copy[exclusive] !== undefined) delete copy[bound];
    }
  }
  if (
    copy.properties &&
    copy.additionalProperties === undefined &&
    copy['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    copy.additionalProperties = false;
  }
  return copy;
}

function validatorFor(object: K8sObject): ValidateFunction | undefined {
  const [group, version] = object.apiVersion.split('/');
  const id = `${object.apiVersion}/${object.kind}`;
  if (!validators.has(id)) {
    const file = crdFiles().get(`${group}/${object.kind}`);
    if (!file) return undefined;
    const crd = YAML.parse(readFileSync(file, 'utf8'));
    const served = crd.spec.versions.find(
      (v: any) => v.name === version && v.served,
    );
    if (!served) return undefined;
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    validators.set(id, ajv.compile(strict(served.schema.openAPIV3Schema)));
  }
  return validators.get(id);
}

/** Problems of `object` against its CRD (empty: valid); undefined when no CRD serves its apiVersion and kind. */
export function crdProblems(object: K8sObject): string[] | undefined {
  const validate = validatorFor(object);
  if (!validate) return undefined;
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    e =>
      `${e.instancePath || '/'} ${e.message}${
        e.keyword === 'additionalProperties'
          ? ` (${(e.params as any).additionalProperty})`
          : ''
      }`,
  );
}
