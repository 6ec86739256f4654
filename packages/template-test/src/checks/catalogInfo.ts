// catalog-info.yaml must be entities the catalog accepts: the catalog's own entity policies (envelope, field
// formats, no foreign root fields) and the schema of each built-in kind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { fail, pass, type StaticCheck } from './types.ts';

const FILE = 'catalog-info.yaml';
const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

export const catalogInfoCheck: StaticCheck = {
  id: 'catalog-info',
  rule: 'catalog-info.yaml holds valid catalog entities',
  appliesTo(ws) {
    const registers = ws.template.entity.spec.steps.some(s =>
      /register/.test(String(s.action)),
    );
    return ws.files.includes(FILE) || registers
      ? undefined
      : 'the template writes no catalog-info.yaml and registers nothing';
  },
  async run(ws) {
    if (!ws.files.includes(FILE)) {
      return [
        fail(this, `${FILE} is missing, but the template registers it`, FILE),
      ];
    }
    let docs: any[];
    try {
      docs = YAML.parseAllDocuments(readFileSync(join(ws.dir, FILE), 'utf8'))
        .map(d => {
          if (d.errors.length) throw d.errors[0];
          return d.toJS();
        })
        .filter(d => d !== null);
    } catch (error) {
      return [fail(this, `not valid YAML: ${error}`, FILE)];
    }
    const problems: string[] = [];
    for (const [i, entity] of docs.entries()) {
      const where = docs.length > 1 ? `document ${i + 1}: ` : '';
      try {
        const checked = await policy.enforce(entity);
        if (!checked) throw new Error('rejected by the entity policies');
        let known = false;
        for (const validator of kindValidators) {
          if (await validator.check(checked)) known = true;
        }
        if (!known && !/^(Template|Location)$/.test(entity.kind)) {
          problems.push(
            `${where}kind ${entity.kind} ${entity.apiVersion} is not a kind the catalog knows`,
          );
        }
      } catch (error) {
        problems.push(`${where}${(error as Error).message}`);
      }
    }
    return problems.length
      ? problems.map(p => fail(this, p, FILE))
      : [pass(this, FILE)];
  },
};
