// @ts-check

/**
 * The service-insights tables. Every row is derived from the catalog and rebuilt by the refresh task, so a
 * migration may drop and recreate them freely.
 *
 * - si_entities: the catalog entities the insights are built from (Components, Groups, Users, Systems), as the
 *   catalog returned them, with the etag that tells the refresh whether they changed.
 * - si_search: each entity flattened the way the catalog flattens it for its own `search` table, so a catalog
 *   permission condition (`{ key, values }`) means the same here as it does in the catalog.
 * - si_services: one row per Component: its ServiceInsight as JSON plus the columns that filters, sorting, paging
 *   and roll-ups run on.
 * - si_owner_chain: every ref a service's owner chain looked up (depth 0 = the owner, 1.. = its parents), whether
 *   it exists or not; answers the team filter and tells the refresh which services a changed group affects.
 * - si_meta: the refresh's own state (the policy fingerprint the rows were computed with).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('si_entities', table => {
    table.string('ref', 512).primary().notNullable();
    table.string('kind', 64).notNullable();
    table.string('etag', 128).notNullable();
    table.text('entity', 'longtext').notNullable();
    table.index(['kind'], 'si_entities_kind_idx');
  });

  await knex.schema.createTable('si_search', table => {
    table.string('ref', 512).notNullable();
    table.string('key', 200).notNullable();
    table.string('value', 200).nullable();
    table.index(['key', 'value'], 'si_search_key_value_idx');
    table.index(['ref'], 'si_search_ref_idx');
  });

  await knex.schema.createTable('si_services', table => {
    table.string('ref', 512).primary().notNullable();
    table.text('insight', 'longtext').notNullable();
    table.string('name', 255).notNullable();
    table.string('name_key', 255).notNullable();
    table.string('type', 255).nullable();
    table.string('type_key', 255).nullable();
    table.string('lifecycle', 255).nullable();
    table.string('lifecycle_key', 255).nullable();
    table.string('owner_ref', 512).notNullable();
    table.string('owner_key', 512).notNullable();
    table.boolean('owner_resolved').notNullable();
    table.string('system_ref', 512).nullable();
    table.string('system_key', 512).nullable();
    table.string('cost_center', 255).nullable();
    table.string('cost_center_key', 255).nullable();
    table.string('environment', 255).nullable();
    table.string('environment_key', 255).nullable();
    table.string('compliance', 32).notNullable();
    table.boolean('traced').notNullable();
    // Lowercased name, title, description, owner ref and system; the owner's display name is kept apart, because
    // a user who may not read the owner must not find services by its name.
    table.text('search_text').notNullable();
    table.string('owner_display', 512).nullable();
    table.string('owner_display_key', 512).nullable();
    table.index(['name_key', 'ref'], 'si_services_name_idx');
    table.index(['owner_ref'], 'si_services_owner_idx');
    table.index(['owner_key'], 'si_services_owner_key_idx');
    table.index(['system_ref'], 'si_services_system_idx');
    table.index(['system_key'], 'si_services_system_key_idx');
    table.index(['lifecycle_key'], 'si_services_lifecycle_idx');
    table.index(['type_key'], 'si_services_type_idx');
    table.index(['cost_center_key'], 'si_services_cost_center_idx');
    table.index(['environment_key'], 'si_services_environment_idx');
    table.index(['compliance'], 'si_services_compliance_idx');
  });

  await knex.schema.createTable('si_owner_chain', table => {
    table.string('service_ref', 512).notNullable();
    table.integer('depth').notNullable();
    // As summarizeService looked it up (to find the entity), and lowercased (for the team filter).
    table.string('group_ref', 512).notNullable();
    table.string('group_key', 512).notNullable();
    table.primary(['service_ref', 'depth']);
    table.index(['group_ref'], 'si_owner_chain_group_idx');
    table.index(['group_key', 'service_ref'], 'si_owner_chain_group_key_idx');
  });

  await knex.schema.createTable('si_meta', table => {
    table.string('key', 64).primary().notNullable();
    table.text('value').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'si_meta',
    'si_owner_chain',
    'si_services',
    'si_search',
    'si_entities',
  ]) {
    await knex.schema.dropTable(table);
  }
};
