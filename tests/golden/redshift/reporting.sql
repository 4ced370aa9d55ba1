CREATE TABLE reporting.products (tenant_id VARCHAR(65535) NOT NULL, id VARCHAR(65535), product_id BIGINT, title VARCHAR(65535), handle VARCHAR(65535), status VARCHAR(65535), vendor VARCHAR(65535), product_type VARCHAR(65535), tags VARCHAR(65535), description_html VARCHAR(65535), total_inventory INTEGER, tracks_inventory BOOLEAN, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, published_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _truncated VARCHAR(65535)) SORTKEY (tenant_id);

ALTER TABLE reporting.orders ADD COLUMN order_id BIGINT;

ALTER TABLE reporting.orders ADD COLUMN name VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN email VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN test BOOLEAN;

ALTER TABLE reporting.orders ADD COLUMN customer_id VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN currency_code VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN presentment_currency_code VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN financial_status VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN fulfillment_status VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN subtotal_price DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN subtotal_price_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN subtotal_price_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN subtotal_price_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_price DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_price_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_price_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_price_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_tax DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_tax_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_tax_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_tax_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_discounts DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_discounts_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_discounts_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_discounts_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_shipping DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_shipping_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_shipping_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_shipping_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_refunded DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_refunded_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_refunded_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_refunded_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_outstanding DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_outstanding_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN total_outstanding_presentment DECIMAL(20,4);

ALTER TABLE reporting.orders ADD COLUMN total_outstanding_presentment_currency VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN discount_codes VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN created_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN updated_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN processed_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN cancelled_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN closed_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN _tenant_id VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN _run_id VARCHAR(65535);

ALTER TABLE reporting.orders ADD COLUMN _synced_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN _deleted_at TIMESTAMPTZ;

ALTER TABLE reporting.orders ADD COLUMN _truncated VARCHAR(65535);

DELETE FROM reporting.products USING shop_acme.products s WHERE reporting.products.tenant_id = 'acme' AND reporting.products.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.products (tenant_id, id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.products WHERE _run_id = '20261124T110000Z-00000002';

DELETE FROM reporting.products WHERE tenant_id = 'acme_corp';

INSERT INTO reporting.products (tenant_id, id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme_corp', id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme_corp.products;

INSERT INTO shopsync_ops.reporting_tenants (tenant_id, since) SELECT 'acme_corp', CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM shopsync_ops.reporting_tenants WHERE tenant_id = 'acme_corp');

DROP TABLE IF EXISTS rls_rules_next;

CREATE TEMP TABLE rls_rules_next (groupname VARCHAR(65535) NOT NULL, tenant_id VARCHAR(65535) NOT NULL);

INSERT INTO rls_rules_next (groupname, tenant_id) VALUES ('acme-analysts', 'acme'), ('corp-analysts', 'acme_corp');

CREATE OR REPLACE VIEW reporting.order_financials AS WITH o AS (SELECT tenant_id, id, name, created_at, CAST(CONVERT_TIMEZONE('UTC', created_at) AS DATE) AS day, currency_code, presentment_currency_code, subtotal_price, subtotal_price_presentment, total_shipping, total_shipping_presentment, total_tax, total_tax_presentment, total_refunded, total_refunded_presentment, total_outstanding, total_outstanding_presentment FROM reporting.orders WHERE _deleted_at IS NULL AND NOT COALESCE(test, FALSE)), li AS (SELECT tenant_id, order_id, SUM(original_unit_price * quantity) AS gross, CASE WHEN COUNT(*) = COUNT(original_unit_price_presentment * quantity) THEN SUM(original_unit_price_presentment * quantity) END AS gross_p FROM reporting.order_line_items WHERE _deleted_at IS NULL GROUP BY tenant_id, order_id), rp AS (SELECT tenant_id, refund_id, CASE WHEN COUNT(*) = COUNT(ret) THEN SUM(ret) END AS ret, CASE WHEN COUNT(*) = COUNT(ret_p) THEN SUM(ret_p) END AS ret_p, CASE WHEN COUNT(*) = COUNT(ship) THEN SUM(ship) END AS ship, CASE WHEN COUNT(*) = COUNT(ship_p) THEN SUM(ship_p) END AS ship_p, CASE WHEN COUNT(*) = COUNT(tax) THEN SUM(tax) END AS tax, CASE WHEN COUNT(*) = COUNT(tax_p) THEN SUM(tax_p) END AS tax_p FROM (SELECT tenant_id, refund_id, subtotal AS ret, subtotal_presentment AS ret_p, CAST(0 AS DECIMAL(20,4)) AS ship, CAST(0 AS DECIMAL(20,4)) AS ship_p, total_tax AS tax, total_tax_presentment AS tax_p FROM reporting.refund_line_items WHERE _deleted_at IS NULL UNION ALL SELECT tenant_id, refund_id, amount AS ret, amount_presentment AS ret_p, CAST(0 AS DECIMAL(20,4)) AS ship, CAST(0 AS DECIMAL(20,4)) AS ship_p, tax_amount AS tax, tax_amount_presentment AS tax_p FROM reporting.order_adjustments WHERE _deleted_at IS NULL UNION ALL SELECT tenant_id, refund_id, CAST(0 AS DECIMAL(20,4)) AS ret, CAST(0 AS DECIMAL(20,4)) AS ret_p, subtotal AS ship, subtotal_presentment AS ship_p, tax_amount AS tax, tax_amount_presentment AS tax_p FROM reporting.refund_shipping_lines WHERE _deleted_at IS NULL) p GROUP BY tenant_id, refund_id), r AS (SELECT f.tenant_id, f.order_id, CAST(CONVERT_TIMEZONE('UTC', f.created_at) AS DATE) AS day, o.currency_code, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ret END AS ret, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ret_p END AS ret_p, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ship END AS ship, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ship_p END AS ship_p, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.tax END AS tax, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.tax_p END AS tax_p, f.total_refunded AS refund_total FROM reporting.refunds f JOIN o ON o.tenant_id = f.tenant_id AND o.id = f.order_id LEFT JOIN rp ON rp.tenant_id = f.tenant_id AND rp.refund_id = f.id WHERE f._deleted_at IS NULL), orf AS (SELECT tenant_id, order_id, CASE WHEN COUNT(*) = COUNT(ret) THEN SUM(ret) END AS ret, CASE WHEN COUNT(*) = COUNT(ret_p) THEN SUM(ret_p) END AS ret_p, CASE WHEN COUNT(*) = COUNT(ship) THEN SUM(ship) END AS ship, CASE WHEN COUNT(*) = COUNT(ship_p) THEN SUM(ship_p) END AS ship_p, CASE WHEN COUNT(*) = COUNT(tax) THEN SUM(tax) END AS tax, CASE WHEN COUNT(*) = COUNT(tax_p) THEN SUM(tax_p) END AS tax_p, CASE WHEN COUNT(*) = COUNT(refund_total) THEN SUM(refund_total) END AS refund_total FROM r GROUP BY tenant_id, order_id) SELECT tenant_id, order_id, order_name, created_at, created_day, currency_code, presentment_currency_code, CAST(gross AS DECIMAL(20,4)) AS gross, CAST(discounts AS DECIMAL(20,4)) AS discounts, CAST(returns AS DECIMAL(20,4)) AS returns, CAST(gross - discounts - returns AS DECIMAL(20,4)) AS net, CAST(shipping AS DECIMAL(20,4)) AS shipping, CAST(taxes AS DECIMAL(20,4)) AS taxes, CAST(gross - discounts - returns + shipping + taxes AS DECIMAL(20,4)) AS total, CAST(refunded AS DECIMAL(20,4)) AS refunded, CAST(outstanding AS DECIMAL(20,4)) AS outstanding, CAST(gross_p AS DECIMAL(20,4)) AS gross_presentment, CAST(discounts_p AS DECIMAL(20,4)) AS discounts_presentment, CAST(returns_p AS DECIMAL(20,4)) AS returns_presentment, CAST(gross_p - discounts_p - returns_p AS DECIMAL(20,4)) AS net_presentment, CAST(shipping_p AS DECIMAL(20,4)) AS shipping_presentment, CAST(taxes_p AS DECIMAL(20,4)) AS taxes_presentment, CAST(gross_p - discounts_p - returns_p + shipping_p + taxes_p AS DECIMAL(20,4)) AS total_presentment, CAST(refunded_p AS DECIMAL(20,4)) AS refunded_presentment, CAST(outstanding_p AS DECIMAL(20,4)) AS outstanding_presentment FROM (SELECT o.tenant_id, o.id AS order_id, o.name AS order_name, o.created_at, o.day AS created_day, o.currency_code, o.presentment_currency_code, CASE WHEN li.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE li.gross END AS gross, CASE WHEN li.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE li.gross END - o.subtotal_price AS discounts, CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.ret END AS returns, o.total_shipping - CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.ship END AS shipping, o.total_tax - CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.tax END AS taxes, o.total_refunded AS refunded, o.total_outstanding AS outstanding, CASE WHEN li.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE li.gross_p END AS gross_p, CASE WHEN li.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE li.gross_p END - o.subtotal_price_presentment AS discounts_p, CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.ret_p END AS returns_p, o.total_shipping_presentment - CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.ship_p END AS shipping_p, o.total_tax_presentment - CASE WHEN orf.order_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE orf.tax_p END AS taxes_p, o.total_refunded_presentment AS refunded_p, o.total_outstanding_presentment AS outstanding_p FROM o LEFT JOIN li ON li.tenant_id = o.tenant_id AND li.order_id = o.id LEFT JOIN orf ON orf.tenant_id = o.tenant_id AND orf.order_id = o.id) b WITH NO SCHEMA BINDING;

CREATE OR REPLACE VIEW reporting.daily_sales AS WITH o AS (SELECT tenant_id, id, name, created_at, CAST(CONVERT_TIMEZONE('UTC', created_at) AS DATE) AS day, currency_code, presentment_currency_code, subtotal_price, subtotal_price_presentment, total_shipping, total_shipping_presentment, total_tax, total_tax_presentment, total_refunded, total_refunded_presentment, total_outstanding, total_outstanding_presentment FROM reporting.orders WHERE _deleted_at IS NULL AND NOT COALESCE(test, FALSE)), li AS (SELECT tenant_id, order_id, SUM(original_unit_price * quantity) AS gross, CASE WHEN COUNT(*) = COUNT(original_unit_price_presentment * quantity) THEN SUM(original_unit_price_presentment * quantity) END AS gross_p FROM reporting.order_line_items WHERE _deleted_at IS NULL GROUP BY tenant_id, order_id), rp AS (SELECT tenant_id, refund_id, CASE WHEN COUNT(*) = COUNT(ret) THEN SUM(ret) END AS ret, CASE WHEN COUNT(*) = COUNT(ret_p) THEN SUM(ret_p) END AS ret_p, CASE WHEN COUNT(*) = COUNT(ship) THEN SUM(ship) END AS ship, CASE WHEN COUNT(*) = COUNT(ship_p) THEN SUM(ship_p) END AS ship_p, CASE WHEN COUNT(*) = COUNT(tax) THEN SUM(tax) END AS tax, CASE WHEN COUNT(*) = COUNT(tax_p) THEN SUM(tax_p) END AS tax_p FROM (SELECT tenant_id, refund_id, subtotal AS ret, subtotal_presentment AS ret_p, CAST(0 AS DECIMAL(20,4)) AS ship, CAST(0 AS DECIMAL(20,4)) AS ship_p, total_tax AS tax, total_tax_presentment AS tax_p FROM reporting.refund_line_items WHERE _deleted_at IS NULL UNION ALL SELECT tenant_id, refund_id, amount AS ret, amount_presentment AS ret_p, CAST(0 AS DECIMAL(20,4)) AS ship, CAST(0 AS DECIMAL(20,4)) AS ship_p, tax_amount AS tax, tax_amount_presentment AS tax_p FROM reporting.order_adjustments WHERE _deleted_at IS NULL UNION ALL SELECT tenant_id, refund_id, CAST(0 AS DECIMAL(20,4)) AS ret, CAST(0 AS DECIMAL(20,4)) AS ret_p, subtotal AS ship, subtotal_presentment AS ship_p, tax_amount AS tax, tax_amount_presentment AS tax_p FROM reporting.refund_shipping_lines WHERE _deleted_at IS NULL) p GROUP BY tenant_id, refund_id), r AS (SELECT f.tenant_id, f.order_id, CAST(CONVERT_TIMEZONE('UTC', f.created_at) AS DATE) AS day, o.currency_code, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ret END AS ret, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ret_p END AS ret_p, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ship END AS ship, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.ship_p END AS ship_p, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.tax END AS tax, CASE WHEN rp.refund_id IS NULL THEN CAST(0 AS DECIMAL(20,4)) ELSE rp.tax_p END AS tax_p, f.total_refunded AS refund_total FROM reporting.refunds f JOIN o ON o.tenant_id = f.tenant_id AND o.id = f.order_id LEFT JOIN rp ON rp.tenant_id = f.tenant_id AND rp.refund_id = f.id WHERE f._deleted_at IS NULL), orf AS (SELECT tenant_id, order_id, CASE WHEN COUNT(*) = COUNT(ret) THEN SUM(ret) END AS ret, CASE WHEN COUNT(*) = COUNT(ret_p) THEN SUM(ret_p) END AS ret_p, CASE WHEN COUNT(*) = COUNT(ship) THEN SUM(ship) END AS ship, CASE WHEN COUNT(*) = COUNT(ship_p) THEN SUM(ship_p) END AS ship_p, CASE WHEN COUNT(*) = COUNT(tax) THEN SUM(tax) END AS tax, CASE WHEN COUNT(*) = COUNT(tax_p) THEN SUM(tax_p) END AS tax_p, CASE WHEN COUNT(*) = COUNT(refund_total) THEN SUM(refund_total) END AS refund_total FROM r GROUP BY tenant_id, order_id) SELECT tenant_id, day, currency_code, CAST(SUM(n) AS BIGINT) AS orders, CAST(SUM(g) AS DECIMAL(20,4)) AS gross_sales, CAST(SUM(d) AS DECIMAL(20,4)) AS discounts, CAST(SUM(ret) AS DECIMAL(20,4)) AS returns, CAST(SUM(g) - SUM(d) - SUM(ret) AS DECIMAL(20,4)) AS net_sales, CAST(SUM(ship) AS DECIMAL(20,4)) AS shipping, CAST(SUM(tax) AS DECIMAL(20,4)) AS taxes, CAST(SUM(g) - SUM(d) - SUM(ret) + SUM(ship) + SUM(tax) AS DECIMAL(20,4)) AS total_sales FROM (SELECT o.tenant_id, o.day, o.currency_code, 1 AS n, COALESCE(li.gross, CAST(0 AS DECIMAL(20,4))) AS g, COALESCE(li.gross, CAST(0 AS DECIMAL(20,4))) - o.subtotal_price AS d, CAST(0 AS DECIMAL(20,4)) AS ret, o.total_shipping AS ship, o.total_tax AS tax FROM o LEFT JOIN li ON li.tenant_id = o.tenant_id AND li.order_id = o.id UNION ALL SELECT tenant_id, day, currency_code, 0, CAST(0 AS DECIMAL(20,4)), CAST(0 AS DECIMAL(20,4)), ret, -ship, -tax FROM r) s GROUP BY tenant_id, day, currency_code WITH NO SCHEMA BINDING;

DELETE FROM reporting.rls_rules;

INSERT INTO reporting.rls_rules (groupname, tenant_id) SELECT groupname, tenant_id FROM rls_rules_next;

DROP TABLE rls_rules_next;
