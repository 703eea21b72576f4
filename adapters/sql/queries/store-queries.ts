import { sql } from 'kysely';
import { queryShape, type QueryShape } from './prepared-queries.js';
import { ACCOUNT_INSERT_COLUMNS, EVENT_COLUMNS, HISTORY_COLUMNS, HISTORY_READ_COLUMNS } from './record-rows.js';

/**
 * The statements of the SQL store's transactions, one shape each (see `prepared-queries.ts`).
 * Arguments are positional, in the order each builder names them.
 *
 * @module
 */

export const GET_PRODUCT = queryShape('getProduct', (q, [domain, product]) =>
  q.selectFrom('cx_products').selectAll().where('domain_id', '=', domain).where('product_id', '=', product),
);

export const LIST_PRODUCTS = queryShape('listProducts', (q, [domain]) => q.selectFrom('cx_products').selectAll().where('domain_id', '=', domain));

export const PRODUCT_USAGE = queryShape('productUsage', (q, [domain]) =>
  q
    .selectFrom('cx_accounts')
    .select((eb) => ['product_id', eb.fn.countAll().as('in_use'), eb.fn.max('agent_count').as('max_agents')])
    .where('active_domain_id', '=', domain)
    .groupBy('product_id'),
);

export const FIND_ACCOUNT = queryShape('findAccount', (q, [id, domain]) =>
  q.selectFrom('cx_accounts').selectAll().where('active_id', '=', id).where('domain_id', '=', domain),
);

export const IS_ACCOUNT_ID_ACTIVE = queryShape('isAccountIdActive', (q, [id]) => q.selectFrom('cx_accounts').select('key').where('active_id', '=', id));

export const ACCOUNT_WITH_NAME = queryShape('accountWithName', (q, [domain, hash]) =>
  q.selectFrom('cx_accounts').select(['key', 'id']).where('domain_id', '=', domain).where('active_name_hash', '=', hash),
);

export const ACCOUNT_ID_OF_KEY = queryShape('accountIdOfKey', (q, [domain, key]) =>
  q.selectFrom('cx_accounts').select('id').where('key', '=', key).where('domain_id', '=', domain),
);

/** Arguments: the values of `ACCOUNT_INSERT_COLUMNS`. */
export const INSERT_ACCOUNT = queryShape('insertAccount', (q, params) =>
  q.insertInto('cx_accounts').values(Object.fromEntries(ACCOUNT_INSERT_COLUMNS.map((column, index) => [column, params[index]])) as never),
);

/**
 * Sets some columns of an active account of the domain. Arguments: the values of `columns`,
 * then key, then domain. One shape per set of columns.
 */
export const patchAccountShape = (columns: readonly string[]) => {
  const name = `patchAccount:${columns.join(',')}`;
  return sized(name, 0, () =>
    queryShape(name, (q, params) =>
      q
        .updateTable('cx_accounts')
        .set(Object.fromEntries(columns.map((column, index) => [column, params[index]])))
        .where('key', '=', params[columns.length])
        .where('domain_id', '=', params[columns.length + 1])
        .where('active_id', 'is not', null),
    ),
  );
};

export const SET_ACCOUNT_IMAGE = queryShape('setAccountImage', (q, [fileName, byteLength, width, height, key, domain]) =>
  q
    .updateTable('cx_accounts')
    .set({ image_file_name: fileName, image_byte_length: byteLength, image_width: width, image_height: height })
    .where('key', '=', key)
    .where('domain_id', '=', domain),
);

/** Ends an active account: the `active_*` columns go `NULL`, so its ID and name are free. */
export const MARK_RESET = queryShape('markReset', (q, [resetAt, version, key, domain]) =>
  q
    .updateTable('cx_accounts')
    .set({ reset_at: resetAt, version, active_id: null, active_domain_id: null, active_name_hash: null })
    .where('key', '=', key)
    .where('domain_id', '=', domain)
    .where('active_id', 'is not', null),
);

export const ACCOUNT_AGENTS = queryShape('accountAgents', (q, [key]) =>
  q.selectFrom('cx_account_agents').select(['member_id', 'position']).where('account_key', '=', key).orderBy('position'),
);

/** Shapes by name, then by count. */
const sizedShapes = new Map<string, QueryShape[]>();
/** A shape for a count of rows or values, kept for small counts. */
function sized(name: string, count: number, make: (count: number) => QueryShape): QueryShape {
  let byCount = sizedShapes.get(name);
  if (!byCount) sizedShapes.set(name, (byCount = []));
  let shape = byCount[count];
  if (!shape) {
    shape = make(count);
    if (count <= 32) byCount[count] = shape;
  }
  return shape;
}

/** Arguments: (key, member, position) per agent. */
export const insertAgentsShape = (count: number) =>
  sized('insertAgents', count, () =>
    queryShape(`insertAgents:${count}`, (q, params) =>
      q.insertInto('cx_account_agents').values(
        Array.from({ length: count }, (_, index) => ({
          account_key: params[3 * index],
          member_id: params[3 * index + 1],
          position: params[3 * index + 2],
        })),
      ),
    ),
  );

/** Arguments: key, then the members. */
export const deleteAgentsShape = (count: number) =>
  sized('deleteAgents', count, () =>
    queryShape(`deleteAgents:${count}`, (q, [key, ...members]) =>
      q.deleteFrom('cx_account_agents').where('account_key', '=', key).where('member_id', 'in', members),
    ),
  );

export const DELETE_IMAGE = queryShape('deleteImage', (q, [key]) => q.deleteFrom('cx_account_images').where('account_key', '=', key));

export const INSERT_IMAGE_PART = queryShape('insertImagePart', (q, [key, part, data]) =>
  q.insertInto('cx_account_images').values({ account_key: key, part, data }),
);

export const IMAGE_PARTS = queryShape('imageParts', (q, [key]) =>
  q.selectFrom('cx_account_images').select('data').where('account_key', '=', key).orderBy('part'),
);

const LIST_COLUMNS = ['id', 'name', 'product_id', 'contact_url', 'activated_at', 'agent_count'] as const;

export const LIST_ACCOUNTS_FIRST = queryShape('listAccountsFirst', (q, [domain, count]) =>
  q.selectFrom('cx_accounts').select(LIST_COLUMNS).where('active_domain_id', '=', domain).orderBy('activated_at').orderBy('id').limit(count),
);

export const LIST_ACCOUNTS_AFTER = queryShape('listAccountsAfter', (q, [domain, at, id, count]) =>
  q
    .selectFrom('cx_accounts')
    .select(LIST_COLUMNS)
    .where('active_domain_id', '=', domain)
    // `a >= x and (a > x or b > y)`: the first term starts the index range on every database
    // (MariaDB does not range-scan row-value comparisons).
    .where('activated_at', '>=', at)
    .where((eb) => eb.or([eb('activated_at', '>', at), eb('id', '>', id)]))
    .orderBy('activated_at')
    .orderBy('id')
    .limit(count),
);

export const ACTIVE_ACCOUNT_IDS_OF_AGENT = queryShape('activeAccountIdsOfAgent', (q, [member, domain]) =>
  q
    .selectFrom('cx_account_agents as agent')
    .innerJoin('cx_accounts as account', 'account.key', 'agent.account_key')
    .select('account.id')
    .where('agent.member_id', '=', member)
    .where('account.active_domain_id', '=', domain)
    .orderBy('account.activated_at')
    .orderBy('account.id'),
);

export const FIND_CONTACT = queryShape('findContact', (q, [key, customer]) =>
  q.selectFrom('cx_contacts').selectAll().where('account_key', '=', key).where('customer_id', '=', customer),
);

export const LIST_ROOMS = queryShape('listRooms', (q, [key]) => q.selectFrom('cx_rooms').selectAll().where('account_key', '=', key).orderBy('seq'));

export const LIST_ROOM_AGENTS = queryShape('listRoomAgents', (q, [key]) =>
  q.selectFrom('cx_room_agents').select(['room_id', 'member_id']).where('account_key', '=', key).orderBy('room_id').orderBy('position'),
);

export const INSERT_ROOM = queryShape('insertRoom', (q, [key, roomId, kind, customer, createdAt]) =>
  q.insertInto('cx_rooms').values({ account_key: key, room_id: roomId, kind, customer_id: customer, created_at: createdAt }),
);

export const REMOVE_AGENT_FROM_ROOMS = queryShape('removeAgentFromRooms', (q, [key, member]) =>
  q.deleteFrom('cx_room_agents').where('account_key', '=', key).where('member_id', '=', member),
);

export const DELETE_ROOM_AGENTS = queryShape('deleteRoomAgents', (q, [key]) => q.deleteFrom('cx_room_agents').where('account_key', '=', key));

export const DELETE_ROOMS = queryShape('deleteRooms', (q, [key]) => q.deleteFrom('cx_rooms').where('account_key', '=', key));

export const FIND_BOT = queryShape('findBot', (q, [domain, bot]) =>
  q.selectFrom('cx_bots').selectAll().where('domain_id', '=', domain).where('bot_id', '=', bot),
);

export const DELETE_ADMIN_BOTS = queryShape('deleteAdminBots', (q, [key]) =>
  q.deleteFrom('cx_bots').where('account_key', '=', key).where('origin', '=', 'admin'),
);

export const DETACH_BOTS = queryShape('detachBots', (q, [key]) => q.updateTable('cx_bots').set({ account_key: null }).where('account_key', '=', key));

/** Arguments: the values of `HISTORY_COLUMNS`. */
export const APPEND_HISTORY = queryShape('appendHistory', (q, params) =>
  q.insertInto('cx_history').values(Object.fromEntries(HISTORY_COLUMNS.map((column, index) => [column, params[index]])) as never),
);

/** Which filters a history read or count has (see {@link historyShape}). */
export type HistoryShapeOptions = {
  /** How many account keys the read is narrowed to (0: the whole domain). */
  keys: number;
  customer: boolean;
  from: boolean;
  to: boolean;
  upTo: boolean;
  /** Keyset position (reads only). */
  after: boolean;
  /** The keyset position names the event seq that breaks ties of (sent_at, message_id). */
  afterSeq: boolean;
};

/** Above this many account keys, one ranged read over the domain's index replaces the union of per-account reads. */
export const HISTORY_UNION_LIMIT = 16;

/**
 * A page (or the count) of a domain's history. Arguments, in order: domain; the account keys;
 * customer; from; to; upTo (event seq); after sent_at, after message_id, after event_seq; limit (reads).
 *
 * A page reads `(sent_at, message_id, event_seq)` order straight from an index (migration 0005): the domain's, the
 * customer's in the domain, or each account's. Narrowed to several accounts (the incarnations
 * of an ID), each account gives its first `limit` rows and the union is cut to `limit`: a late
 * page costs what the first does.
 */
export const historyShape = (count: boolean, options: HistoryShapeOptions) => {
  const name = `history${count ? 'Count' : 'Page'}:${options.keys}:${+options.customer}${+options.from}${+options.to}${+options.upTo}${+options.after}${+options.afterSeq}`;
  return sized(name, options.keys, () =>
    queryShape(name, (q, params) => {
      let index = 0;
      const domain = params[index++];
      const keys = params.slice(index, (index += options.keys));
      const customer = options.customer ? params[index++] : undefined;
      const from = options.from ? params[index++] : undefined;
      const to = options.to ? params[index++] : undefined;
      const upTo = options.upTo ? params[index++] : undefined;
      const afterAt = options.after ? params[index++] : undefined;
      const afterId = options.after ? params[index++] : undefined;
      const afterSeq = options.afterSeq ? params[index++] : undefined;
      const limit = count ? undefined : params[index++];
      // The account keys were read from the domain's accounts, so a query narrowed to them needs
      // no domain term: with one, SQLite would pick the domain's index and scan it (R45).
      const base = (accountKey?: any, accountKeys?: unknown[]) => {
        let query = q.selectFrom('cx_history');
        if (accountKeys !== undefined) query = query.where('account_key', 'in', accountKeys as string[]);
        else query = accountKey === undefined ? query.where('domain_id', '=', domain) : query.where('account_key', '=', accountKey);
        if (options.customer) query = query.where('customer_id', '=', customer);
        if (options.from) query = query.where('sent_at', '>=', from);
        if (options.to) query = query.where('sent_at', '<', to);
        if (options.upTo) query = query.where('event_seq', '<=', upTo);
        if (options.after) {
          // `a >= x and (a > x or b > y)`: the first term starts the index range everywhere.
          // With the event seq: `… or (b = y and c > z)`, for messages that share an instant and a transport id (R47).
          query = query
            .where('sent_at', '>=', afterAt)
            .where((eb) =>
              eb.or(
                options.afterSeq
                  ? [eb('sent_at', '>', afterAt), eb('message_id', '>', afterId), eb.and([eb('message_id', '=', afterId), eb('event_seq', '>', afterSeq)])]
                  : [eb('sent_at', '>', afterAt), eb('message_id', '>', afterId)],
              ),
            );
        }
        return query;
      };
      if (count) {
        return (keys.length === 0 ? base() : base(undefined, keys)).select((eb) => eb.fn.countAll().as('count'));
      }
      const page = (accountKey?: unknown) =>
        base(accountKey).select(HISTORY_READ_COLUMNS).orderBy('sent_at').orderBy('message_id').orderBy('event_seq').limit(limit as number);
      if (keys.length === 0) return page();
      if (keys.length === 1) return page(keys[0]);
      if (keys.length > HISTORY_UNION_LIMIT) {
        return base(undefined, keys).select(HISTORY_READ_COLUMNS).orderBy('sent_at').orderBy('message_id').orderBy('event_seq').limit(limit as number);
      }
      const parts = keys.map((key, part) => q.selectFrom(page(key).as(`h${part}`)).selectAll());
      const union = parts.slice(1).reduce((all, part) => all.unionAll(part), parts[0]!);
      return q.selectFrom(union.as('h')).selectAll().orderBy('sent_at').orderBy('message_id').orderBy('event_seq').limit(limit as number);
    }),
  );
};

/** Arguments: domain, then the IDs. Every account of the domain, active or reset, with one of the IDs. */
export const accountsWithIdsShape = (count: number) =>
  sized('accountsWithIds', count, () =>
    queryShape(`accountsWithIds:${count}`, (q, [domain, ...ids]) =>
      // IDs compare case-insensitively (R6); the IDs given are lower-cased by the caller. A
      // domain has few accounts, so reading its rows by the (domain_id, id) index is cheap.
      q.selectFrom('cx_accounts').select(['key', 'id', 'settings']).where('domain_id', '=', domain).where(sql`lower(${sql.ref('id')})`, 'in', ids),
    ),
  );

/** Arguments: domain, then the keys. */
export const accountsWithKeysShape = (count: number) =>
  sized('accountsWithKeys', count, () =>
    queryShape(`accountsWithKeys:${count}`, (q, [domain, ...keys]) =>
      q.selectFrom('cx_accounts').select(['key', 'id', 'settings']).where('domain_id', '=', domain).where('key', 'in', keys),
    ),
  );

export const LIST_CONTACTS_FIRST = queryShape('listContactsFirst', (q, [key, limit]) =>
  q.selectFrom('cx_contacts').selectAll().where('account_key', '=', key).orderBy('added_at').orderBy('customer_id').limit(limit),
);

export const LIST_CONTACTS_AFTER = queryShape('listContactsAfter', (q, [key, at, customer, limit]) =>
  q
    .selectFrom('cx_contacts')
    .selectAll()
    .where('account_key', '=', key)
    .where('added_at', '>=', at)
    .where((eb) => eb.or([eb('added_at', '>', at), eb('customer_id', '>', customer)]))
    .orderBy('added_at')
    .orderBy('customer_id')
    .limit(limit),
);

/** The keys of every account of a domain, active or reset, as a subquery. */
const domainAccountKeys = (q: Parameters<QueryShape['build']>[0], domain: any) =>
  q.selectFrom('cx_accounts').select('key').where('domain_id', '=', domain);

export const ERASE_CONTACTS = queryShape('eraseContacts', (q, [domain, customer]) =>
  q.deleteFrom('cx_contacts').where('customer_id', '=', customer).where('account_key', 'in', domainAccountKeys(q, domain)),
);

export const ERASE_HISTORY = queryShape('eraseHistory', (q, [domain, customer]) =>
  q.deleteFrom('cx_history').where('domain_id', '=', domain).where('customer_id', '=', customer),
);

export const ERASE_RECEIPTS = queryShape('eraseReceipts', (q, [domain, customer]) =>
  q.deleteFrom('cx_receipts').where('customer_id', '=', customer).where('account_key', 'in', domainAccountKeys(q, domain)),
);

export const CUSTOMER_ROOMS = queryShape('customerRooms', (q, [domain, customer]) =>
  q
    .selectFrom('cx_rooms')
    .select(['account_key', 'room_id'])
    .where('customer_id', '=', customer)
    .where('kind', '=', 'consultation')
    .where('account_key', 'in', domainAccountKeys(q, domain)),
);

export const DELETE_ROOM = queryShape('deleteRoom', (q, [key, room]) =>
  q.deleteFrom('cx_rooms').where('account_key', '=', key).where('room_id', '=', room),
);

export const DELETE_AGENTS_OF_ROOM = queryShape('deleteAgentsOfRoom', (q, [key, room]) =>
  q.deleteFrom('cx_room_agents').where('account_key', '=', key).where('room_id', '=', room),
);

export const LAST_ROOM_AGENT_POSITION = queryShape('lastRoomAgentPosition', (q, [key, room]) =>
  q
    .selectFrom('cx_room_agents')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('account_key', '=', key)
    .where('room_id', '=', room),
);

/** Arguments: (key, room, position, member) per agent. */
export const insertRoomAgentsShape = (count: number) =>
  sized('insertRoomAgents', count, () =>
    queryShape(`insertRoomAgents:${count}`, (q, params) =>
      q.insertInto('cx_room_agents').values(
        Array.from({ length: count }, (_, index) => ({
          account_key: params[4 * index],
          room_id: params[4 * index + 1],
          position: params[4 * index + 2],
          member_id: params[4 * index + 3],
        })),
      ),
    ),
  );

export const LIST_BOTS = queryShape('listBots', (q, [domain]) => q.selectFrom('cx_bots').selectAll().where('domain_id', '=', domain));

export const LIST_BOTS_OF_ACCOUNT = queryShape('listBotsOfAccount', (q, [domain, key]) =>
  q.selectFrom('cx_bots').selectAll().where('domain_id', '=', domain).where('account_key', '=', key),
);

export const ATTACH_BOT = queryShape('attachBot', (q, [key, accountId, domain, bot]) =>
  q.updateTable('cx_bots').set({ account_key: key, account_id: accountId }).where('domain_id', '=', domain).where('bot_id', '=', bot),
);

export const DELETE_BOT = queryShape('deleteBot', (q, [domain, bot]) =>
  q.deleteFrom('cx_bots').where('domain_id', '=', domain).where('bot_id', '=', bot),
);

export const FIND_RECEIPT = queryShape('findReceipt', (q, [key, direction, message]) =>
  q.selectFrom('cx_receipts').selectAll().where('account_key', '=', key).where('direction', '=', direction).where('message_id', '=', message),
);

export const INSERT_RECEIPT = queryShape('insertReceipt', (q, [key, direction, messageId, customer, message, answer, at]) =>
  q.insertInto('cx_receipts').values({ account_key: key, direction, message_id: messageId, customer_id: customer, message, answer, at }),
);

/**
 * Raises the domain's `last_seq` by a count and answers the new value, creating the domain's
 * row when missing (SQLite takes no row lock, so it may not exist). Arguments: domain, count.
 */
export const ADVANCE_LAST_SEQ_RETURNING = queryShape('advanceLastSeq', (q, [domain, count]) =>
  q
    .insertInto('cx_domains')
    .values({ domain_id: domain, last_seq: count })
    .onConflict((conflict) => conflict.column('domain_id').doUpdateSet({ last_seq: sql<number>`cx_domains.last_seq + excluded.last_seq` }))
    .returning('last_seq'),
);

/** {@link ADVANCE_LAST_SEQ_RETURNING} without RETURNING (MySQL): read it back with `LAST_SEQ`. Arguments: domain, count, count. */
export const ADVANCE_LAST_SEQ = queryShape('advanceLastSeqMysql', (q, [domain, count, again]) =>
  q
    .insertInto('cx_domains')
    .values({ domain_id: domain, last_seq: count })
    .onDuplicateKeyUpdate({ last_seq: sql<number>`last_seq + ${again}` }),
);

export const LAST_SEQ = queryShape('lastSeq', (q, [domain]) => q.selectFrom('cx_domains').select('last_seq').where('domain_id', '=', domain));

/** Arguments: the values of `EVENT_COLUMNS` per event. */
export const insertEventsShape = (count: number) =>
  sized('insertEvents', count, () =>
    queryShape(`insertEvents:${count}`, (q, params) =>
      q
        .insertInto('cx_events')
        .values(
          Array.from({ length: count }, (_, row) =>
            Object.fromEntries(EVENT_COLUMNS.map((column, index) => [column, params[row * EVENT_COLUMNS.length + index]])),
          ) as never,
        ),
    ),
  );

export const READ_EVENTS = queryShape('readEvents', (q, [domain, after, limit]) =>
  q.selectFrom('cx_events').selectAll().where('domain_id', '=', domain).where('seq', '>', after).orderBy('seq').limit(limit),
);

export const GET_BACKUP_JOB = queryShape('getBackupJob', (q, [domain, job]) =>
  q.selectFrom('cx_backup_jobs').selectAll().where('domain_id', '=', domain).where('job_id', '=', job),
);

/** The jobs of a domain with one of `count` statuses (arguments: domain, then the statuses), oldest first. */
export const backupJobsWithStatusShape = (count: number) =>
  sized('backupJobsWithStatus', count, () =>
    queryShape(`backupJobsWithStatus:${count}`, (q, [domain, ...statuses]) =>
      q.selectFrom('cx_backup_jobs').selectAll().where('domain_id', '=', domain).where('status', 'in', statuses).orderBy('requested_at').orderBy('job_id'),
    ),
  );

export const DELETE_BACKUP_FILE = queryShape('deleteBackupFile', (q, [domain, file]) =>
  q.deleteFrom('cx_backup_chunks').where('domain_id', '=', domain).where('file_id', '=', file),
);

export const DELETE_BACKUP_JOB = queryShape('deleteBackupJob', (q, [domain, job]) =>
  q.deleteFrom('cx_backup_jobs').where('domain_id', '=', domain).where('job_id', '=', job),
);

/** Creates the lock row of a domain if missing (PostgreSQL, MySQL). */
export const ENSURE_DOMAIN_ON_CONFLICT = queryShape('ensureDomain', (q, [domain]) =>
  q.insertInto('cx_domains').values({ domain_id: domain }).onConflict((conflict) => conflict.column('domain_id').doNothing()),
);
export const ENSURE_DOMAIN_ON_DUPLICATE = queryShape('ensureDomainMysql', (q, [domain]) =>
  q.insertInto('cx_domains').values({ domain_id: domain }).onDuplicateKeyUpdate({ domain_id: domain }),
);

/** Waits for, then holds until the transaction ends, the lock row of a domain. */
export const LOCK_DOMAIN = queryShape('lockDomain', (q, [domain]) =>
  q.selectFrom('cx_domains').select('domain_id').where('domain_id', '=', domain).forUpdate(),
);
