// @ts-check

/**
 * Daily snapshots of the roll-ups (all services, per owning team, per cost center), kept for
 * `serviceInsights.snapshots.retention`: the compliance trend of the dashboard and of each team's page.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('si_snapshots', table => {
    table.string('day', 10).notNullable(); // YYYY-MM-DD, UTC
    table.string('scope', 16).notNullable(); // total | team | costCenter
    table.string('key', 512).notNullable();
    table.string('title', 512).notNullable();
    table.integer('services').notNullable();
    table.integer('fully_tagged').notNullable();
    table.integer('traced').notNullable();
    table.integer('unresolved_owner').notNullable();
    table.primary(['scope', 'key', 'day']);
    table.index(['day'], 'si_snapshots_day_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('si_snapshots');
};
