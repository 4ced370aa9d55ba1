-- batch 1 of 3
CREATE SCHEMA IF NOT EXISTS shopsync_ops;

CREATE SCHEMA IF NOT EXISTS reporting;

CREATE TABLE IF NOT EXISTS shopsync_ops.load_ledger (tenant_id VARCHAR(65535) NOT NULL, run_id VARCHAR(65535) NOT NULL, stream VARCHAR(65535) NOT NULL, rows BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL, records BIGINT, mode VARCHAR(65535), cursor_to VARCHAR(65535), PRIMARY KEY (tenant_id, run_id, stream));

CREATE TABLE IF NOT EXISTS shopsync_ops.checks (tenant_id VARCHAR(65535) NOT NULL, run_id VARCHAR(65535), table_name VARCHAR(65535), check_name VARCHAR(65535) NOT NULL, status VARCHAR(65535) NOT NULL, observed BIGINT, expected BIGINT, detail VARCHAR(65535), checked_at TIMESTAMPTZ NOT NULL);

CREATE TABLE IF NOT EXISTS shopsync_ops.skipped_streams (tenant_id VARCHAR(65535) NOT NULL, run_id VARCHAR(65535) NOT NULL, stream VARCHAR(65535) NOT NULL, missing_scope VARCHAR(65535) NOT NULL, loaded_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tenant_id, run_id, stream, missing_scope));

CREATE TABLE IF NOT EXISTS reporting.rls_rules (groupname VARCHAR(65535) NOT NULL, tenant_id VARCHAR(65535) NOT NULL);

CREATE TABLE IF NOT EXISTS shopsync_ops.reporting_tenants (tenant_id VARCHAR(65535) NOT NULL, since TIMESTAMPTZ NOT NULL, PRIMARY KEY (tenant_id));

CREATE TABLE IF NOT EXISTS shopsync_ops.tenant_layouts (tenant_id VARCHAR(65535) NOT NULL, fingerprint VARCHAR(65535) NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (tenant_id));

CREATE SCHEMA IF NOT EXISTS shop_acme;

CREATE TABLE IF NOT EXISTS shop_acme.products (id VARCHAR(65535), product_id BIGINT, title VARCHAR(65535), handle VARCHAR(65535), status VARCHAR(65535), vendor VARCHAR(65535), product_type VARCHAR(65535), tags VARCHAR(65535), description_html VARCHAR(65535), total_inventory INTEGER, tracks_inventory BOOLEAN, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, published_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.product_variants (id VARCHAR(65535), variant_id BIGINT, product_id VARCHAR(65535), inventory_item_id VARCHAR(65535), title VARCHAR(65535), display_name VARCHAR(65535), sku VARCHAR(65535), barcode VARCHAR(65535), price DECIMAL(20,4), compare_at_price DECIMAL(20,4), position INTEGER, taxable BOOLEAN, inventory_policy VARCHAR(65535), inventory_quantity INTEGER, selected_options SUPER, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.inventory_items (id VARCHAR(65535), inventory_item_id BIGINT, variant_id VARCHAR(65535), sku VARCHAR(65535), tracked BOOLEAN, requires_shipping BOOLEAN, country_code_of_origin VARCHAR(65535), harmonized_system_code VARCHAR(65535), unit_cost DECIMAL(20,4), unit_cost_currency VARCHAR(65535), created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.inventory_levels (id VARCHAR(65535), inventory_level_id BIGINT, inventory_item_id VARCHAR(65535), location_id VARCHAR(65535), available INTEGER, on_hand INTEGER, committed INTEGER, incoming INTEGER, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.locations (id VARCHAR(65535), location_id BIGINT, name VARCHAR(65535), is_active BOOLEAN, fulfills_online_orders BOOLEAN, ships_inventory BOOLEAN, address1 VARCHAR(65535), address2 VARCHAR(65535), city VARCHAR(65535), province VARCHAR(65535), province_code VARCHAR(65535), country VARCHAR(65535), country_code VARCHAR(65535), zip VARCHAR(65535), created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, deactivated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.orders (id VARCHAR(65535), order_id BIGINT, name VARCHAR(65535), email VARCHAR(65535), test BOOLEAN, customer_id VARCHAR(65535), currency_code VARCHAR(65535), presentment_currency_code VARCHAR(65535), financial_status VARCHAR(65535), fulfillment_status VARCHAR(65535), subtotal_price DECIMAL(20,4), subtotal_price_currency VARCHAR(65535), subtotal_price_presentment DECIMAL(20,4), subtotal_price_presentment_currency VARCHAR(65535), total_price DECIMAL(20,4), total_price_currency VARCHAR(65535), total_price_presentment DECIMAL(20,4), total_price_presentment_currency VARCHAR(65535), total_tax DECIMAL(20,4), total_tax_currency VARCHAR(65535), total_tax_presentment DECIMAL(20,4), total_tax_presentment_currency VARCHAR(65535), total_discounts DECIMAL(20,4), total_discounts_currency VARCHAR(65535), total_discounts_presentment DECIMAL(20,4), total_discounts_presentment_currency VARCHAR(65535), total_shipping DECIMAL(20,4), total_shipping_currency VARCHAR(65535), total_shipping_presentment DECIMAL(20,4), total_shipping_presentment_currency VARCHAR(65535), total_refunded DECIMAL(20,4), total_refunded_currency VARCHAR(65535), total_refunded_presentment DECIMAL(20,4), total_refunded_presentment_currency VARCHAR(65535), total_outstanding DECIMAL(20,4), total_outstanding_currency VARCHAR(65535), total_outstanding_presentment DECIMAL(20,4), total_outstanding_presentment_currency VARCHAR(65535), discount_codes VARCHAR(65535), tax_lines SUPER, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, processed_at TIMESTAMPTZ, cancelled_at TIMESTAMPTZ, closed_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.order_line_items (id VARCHAR(65535), line_item_id BIGINT, order_id VARCHAR(65535), variant_id VARCHAR(65535), product_id VARCHAR(65535), name VARCHAR(65535), sku VARCHAR(65535), quantity INTEGER, current_quantity INTEGER, original_unit_price DECIMAL(20,4), original_unit_price_currency VARCHAR(65535), original_unit_price_presentment DECIMAL(20,4), original_unit_price_presentment_currency VARCHAR(65535), discounted_total DECIMAL(20,4), discounted_total_currency VARCHAR(65535), discounted_total_presentment DECIMAL(20,4), discounted_total_presentment_currency VARCHAR(65535), tax_lines SUPER, discount_allocations SUPER, order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.shipping_lines (id VARCHAR(65535), shipping_line_id BIGINT, order_id VARCHAR(65535), title VARCHAR(65535), code VARCHAR(65535), source VARCHAR(65535), carrier_identifier VARCHAR(65535), is_removed BOOLEAN, original_price DECIMAL(20,4), original_price_currency VARCHAR(65535), original_price_presentment DECIMAL(20,4), original_price_presentment_currency VARCHAR(65535), discounted_price DECIMAL(20,4), discounted_price_currency VARCHAR(65535), discounted_price_presentment DECIMAL(20,4), discounted_price_presentment_currency VARCHAR(65535), tax_lines SUPER, discount_allocations SUPER, order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.discount_applications (id VARCHAR(65535), order_id VARCHAR(65535), index INTEGER, type VARCHAR(65535), code VARCHAR(65535), title VARCHAR(65535), allocation_method VARCHAR(65535), target_selection VARCHAR(65535), target_type VARCHAR(65535), value_amount DECIMAL(20,4), value_amount_currency VARCHAR(65535), value_percentage DECIMAL(20,4), order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.tax_lines (id VARCHAR(65535), order_id VARCHAR(65535), parent_id VARCHAR(65535), parent_type VARCHAR(65535), index INTEGER, title VARCHAR(65535), rate DECIMAL(20,4), rate_percentage DECIMAL(20,4), channel_liable BOOLEAN, amount DECIMAL(20,4), amount_currency VARCHAR(65535), amount_presentment DECIMAL(20,4), amount_presentment_currency VARCHAR(65535), order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.discount_allocations (id VARCHAR(65535), order_id VARCHAR(65535), parent_id VARCHAR(65535), parent_type VARCHAR(65535), index INTEGER, discount_application_index INTEGER, allocated_amount DECIMAL(20,4), allocated_amount_currency VARCHAR(65535), allocated_amount_presentment DECIMAL(20,4), allocated_amount_presentment_currency VARCHAR(65535), order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.order_discount_codes (id VARCHAR(65535), order_id VARCHAR(65535), index INTEGER, code VARCHAR(65535), order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.transactions (id VARCHAR(65535), transaction_id BIGINT, order_id VARCHAR(65535), order_updated_at TIMESTAMPTZ, parent_transaction_id VARCHAR(65535), kind VARCHAR(65535), status VARCHAR(65535), gateway VARCHAR(65535), test BOOLEAN, error_code VARCHAR(65535), amount DECIMAL(20,4), amount_currency VARCHAR(65535), amount_presentment DECIMAL(20,4), amount_presentment_currency VARCHAR(65535), fees SUPER, processed_at TIMESTAMPTZ, created_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.tender_transactions (id VARCHAR(65535), tender_transaction_id BIGINT, order_id VARCHAR(65535), payment_method VARCHAR(65535), remote_reference VARCHAR(65535), test BOOLEAN, amount DECIMAL(20,4), amount_currency VARCHAR(65535), credit_card_company VARCHAR(65535), credit_card_number VARCHAR(65535), processed_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.refunds (id VARCHAR(65535), refund_id BIGINT, order_id VARCHAR(65535), order_updated_at TIMESTAMPTZ, note VARCHAR(65535), total_refunded DECIMAL(20,4), total_refunded_currency VARCHAR(65535), total_refunded_presentment DECIMAL(20,4), total_refunded_presentment_currency VARCHAR(65535), created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.refund_line_items (id VARCHAR(65535), refund_line_item_id BIGINT, refund_id VARCHAR(65535), order_id VARCHAR(65535), refund_updated_at TIMESTAMPTZ, line_item_id VARCHAR(65535), quantity INTEGER, restock_type VARCHAR(65535), restocked BOOLEAN, location_id VARCHAR(65535), subtotal DECIMAL(20,4), subtotal_currency VARCHAR(65535), subtotal_presentment DECIMAL(20,4), subtotal_presentment_currency VARCHAR(65535), total_tax DECIMAL(20,4), total_tax_currency VARCHAR(65535), total_tax_presentment DECIMAL(20,4), total_tax_presentment_currency VARCHAR(65535), _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.order_adjustments (id VARCHAR(65535), order_adjustment_id BIGINT, refund_id VARCHAR(65535), order_id VARCHAR(65535), refund_updated_at TIMESTAMPTZ, reason VARCHAR(65535), amount DECIMAL(20,4), amount_currency VARCHAR(65535), amount_presentment DECIMAL(20,4), amount_presentment_currency VARCHAR(65535), tax_amount DECIMAL(20,4), tax_amount_currency VARCHAR(65535), tax_amount_presentment DECIMAL(20,4), tax_amount_presentment_currency VARCHAR(65535), _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.refund_shipping_lines (id VARCHAR(65535), refund_shipping_line_id BIGINT, refund_id VARCHAR(65535), order_id VARCHAR(65535), refund_updated_at TIMESTAMPTZ, shipping_line_id VARCHAR(65535), subtotal DECIMAL(20,4), subtotal_currency VARCHAR(65535), subtotal_presentment DECIMAL(20,4), subtotal_presentment_currency VARCHAR(65535), tax_amount DECIMAL(20,4), tax_amount_currency VARCHAR(65535), tax_amount_presentment DECIMAL(20,4), tax_amount_presentment_currency VARCHAR(65535), _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.fulfillments (id VARCHAR(65535), fulfillment_id BIGINT, order_id VARCHAR(65535), order_updated_at TIMESTAMPTZ, name VARCHAR(65535), status VARCHAR(65535), display_status VARCHAR(65535), total_quantity INTEGER, tracking_info SUPER, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, in_transit_at TIMESTAMPTZ, delivered_at TIMESTAMPTZ, estimated_delivery_at TIMESTAMPTZ, location_id VARCHAR(65535), _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.fulfillment_line_items (id VARCHAR(65535), fulfillment_line_item_id BIGINT, fulfillment_id VARCHAR(65535), order_id VARCHAR(65535), fulfillment_updated_at TIMESTAMPTZ, line_item_id VARCHAR(65535), quantity INTEGER, original_total DECIMAL(20,4), original_total_currency VARCHAR(65535), original_total_presentment DECIMAL(20,4), original_total_presentment_currency VARCHAR(65535), discounted_total DECIMAL(20,4), discounted_total_currency VARCHAR(65535), discounted_total_presentment DECIMAL(20,4), discounted_total_presentment_currency VARCHAR(65535), _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.fulfillment_orders (id VARCHAR(65535), fulfillment_order_id BIGINT, order_id VARCHAR(65535), order_name VARCHAR(65535), status VARCHAR(65535), request_status VARCHAR(65535), assigned_location_name VARCHAR(65535), assigned_location_country VARCHAR(65535), fulfill_at TIMESTAMPTZ, order_processed_at TIMESTAMPTZ, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.fulfillment_order_line_items (id VARCHAR(65535), fulfillment_order_line_item_id BIGINT, fulfillment_order_id VARCHAR(65535), order_id VARCHAR(65535), line_item_id VARCHAR(65535), sku VARCHAR(65535), product_title VARCHAR(65535), variant_title VARCHAR(65535), total_quantity INTEGER, remaining_quantity INTEGER, fulfillment_order_updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

CREATE TABLE IF NOT EXISTS shop_acme.customers (id VARCHAR(65535), customer_id BIGINT, first_name VARCHAR(65535), last_name VARCHAR(65535), display_name VARCHAR(65535), email VARCHAR(65535), email_marketing_state VARCHAR(65535), phone VARCHAR(65535), state VARCHAR(65535), tags VARCHAR(65535), note VARCHAR(65535), verified_email BOOLEAN, tax_exempt BOOLEAN, number_of_orders BIGINT, amount_spent DECIMAL(20,4), amount_spent_currency VARCHAR(65535), created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535), _synced_at TIMESTAMPTZ, _deleted_at TIMESTAMPTZ, _raw SUPER, _truncated VARCHAR(65535), PRIMARY KEY (id));

ALTER TABLE shop_acme.products ADD COLUMN product_id BIGINT;

ALTER TABLE shop_acme.products ADD COLUMN handle VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN status VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN vendor VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN product_type VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN tags VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN description_html VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN total_inventory INTEGER;

-- batch 2 of 3
ALTER TABLE shop_acme.products ADD COLUMN tracks_inventory BOOLEAN;

ALTER TABLE shop_acme.products ADD COLUMN created_at TIMESTAMPTZ;

ALTER TABLE shop_acme.products ADD COLUMN updated_at TIMESTAMPTZ;

ALTER TABLE shop_acme.products ADD COLUMN published_at TIMESTAMPTZ;

ALTER TABLE shop_acme.products ADD COLUMN _tenant_id VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN _run_id VARCHAR(65535);

ALTER TABLE shop_acme.products ADD COLUMN _synced_at TIMESTAMPTZ;

ALTER TABLE shop_acme.products ADD COLUMN _deleted_at TIMESTAMPTZ;

ALTER TABLE shop_acme.products ADD COLUMN _raw SUPER;

ALTER TABLE shop_acme.products ADD COLUMN _truncated VARCHAR(65535);

DELETE FROM shopsync_ops.tenant_layouts WHERE tenant_id = 'acme';

INSERT INTO shopsync_ops.tenant_layouts (tenant_id, fingerprint, recorded_at) VALUES ('acme', '14431c2bbb491336', CURRENT_TIMESTAMP);

-- batch 3 of 3
DROP TABLE IF EXISTS stage_products;

DROP TABLE IF EXISTS stage_locations;

DROP TABLE IF EXISTS stage_order_line_items;

DROP TABLE IF EXISTS stage_deletions;

CREATE TEMP TABLE stage_products (LIKE shop_acme.products);

INSERT INTO stage_products (id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) SELECT id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated FROM batch_products WHERE _tenant_id = 'acme' AND _run_id = '20261124T110000Z-00000002';

CREATE TEMP TABLE stage_locations (LIKE shop_acme.locations);

INSERT INTO stage_locations (id, location_id, name, is_active, fulfills_online_orders, ships_inventory, address1, address2, city, province, province_code, country, country_code, zip, created_at, updated_at, deactivated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) SELECT id, location_id, name, is_active, fulfills_online_orders, ships_inventory, address1, address2, city, province, province_code, country, country_code, zip, created_at, updated_at, deactivated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated FROM batch_locations WHERE _tenant_id = 'acme' AND _run_id = '20261124T110000Z-00000002';

CREATE TEMP TABLE stage_order_line_items (LIKE shop_acme.order_line_items);

INSERT INTO stage_order_line_items (id, line_item_id, order_id, variant_id, product_id, name, sku, quantity, current_quantity, original_unit_price, original_unit_price_currency, original_unit_price_presentment, original_unit_price_presentment_currency, discounted_total, discounted_total_currency, discounted_total_presentment, discounted_total_presentment_currency, tax_lines, discount_allocations, order_updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) SELECT id, line_item_id, order_id, variant_id, product_id, name, sku, quantity, current_quantity, original_unit_price, original_unit_price_currency, original_unit_price_presentment, original_unit_price_presentment_currency, discounted_total, discounted_total_currency, discounted_total_presentment, discounted_total_presentment_currency, tax_lines, discount_allocations, order_updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated FROM batch_order_line_items WHERE _tenant_id = 'acme' AND _run_id = '20261124T110000Z-00000002';

CREATE TEMP TABLE stage_deletions (subject_type VARCHAR(65535), subject_id VARCHAR(65535), deleted_at TIMESTAMPTZ, _tenant_id VARCHAR(65535), _run_id VARCHAR(65535));

INSERT INTO stage_deletions (subject_type, subject_id, deleted_at, _tenant_id, _run_id) SELECT subject_type, subject_id, deleted_at, _tenant_id, _run_id FROM batch_deletions WHERE _tenant_id = 'acme' AND _run_id = '20261124T110000Z-00000002';

DELETE FROM stage_products USING shop_acme.products t WHERE stage_products.id = t.id AND t.updated_at IS NOT NULL AND (stage_products.updated_at IS NULL OR t.updated_at > stage_products.updated_at OR (t.updated_at = stage_products.updated_at AND t._run_id > stage_products._run_id));

MERGE INTO shop_acme.products USING stage_products s ON shop_acme.products.id = s.id WHEN MATCHED THEN UPDATE SET product_id = s.product_id, title = s.title, handle = s.handle, status = s.status, vendor = s.vendor, product_type = s.product_type, tags = s.tags, description_html = s.description_html, total_inventory = s.total_inventory, tracks_inventory = s.tracks_inventory, created_at = s.created_at, updated_at = s.updated_at, published_at = s.published_at, _tenant_id = s._tenant_id, _run_id = s._run_id, _synced_at = s._synced_at, _deleted_at = s._deleted_at, _raw = JSON_PARSE(s._raw::VARCHAR(MAX)), _truncated = s._truncated WHEN NOT MATCHED THEN INSERT (id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) VALUES (s.id, s.product_id, s.title, s.handle, s.status, s.vendor, s.product_type, s.tags, s.description_html, s.total_inventory, s.tracks_inventory, s.created_at, s.updated_at, s.published_at, s._tenant_id, s._run_id, s._synced_at, s._deleted_at, JSON_PARSE(s._raw::VARCHAR(MAX)), s._truncated);

UPDATE shop_acme.locations SET _deleted_at = CAST('2026-11-24 12:00:00.000000+00' AS TIMESTAMPTZ), _run_id = '20261124T110000Z-00000002' WHERE _deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM stage_locations s WHERE s.id = shop_acme.locations.id);

DELETE FROM stage_locations USING shop_acme.locations t WHERE stage_locations.id = t.id AND t.updated_at IS NOT NULL AND (stage_locations.updated_at IS NULL OR t.updated_at > stage_locations.updated_at OR (t.updated_at = stage_locations.updated_at AND t._run_id > stage_locations._run_id));

MERGE INTO shop_acme.locations USING stage_locations s ON shop_acme.locations.id = s.id WHEN MATCHED THEN UPDATE SET location_id = s.location_id, name = s.name, is_active = s.is_active, fulfills_online_orders = s.fulfills_online_orders, ships_inventory = s.ships_inventory, address1 = s.address1, address2 = s.address2, city = s.city, province = s.province, province_code = s.province_code, country = s.country, country_code = s.country_code, zip = s.zip, created_at = s.created_at, updated_at = s.updated_at, deactivated_at = s.deactivated_at, _tenant_id = s._tenant_id, _run_id = s._run_id, _synced_at = s._synced_at, _deleted_at = s._deleted_at, _raw = JSON_PARSE(s._raw::VARCHAR(MAX)), _truncated = s._truncated WHEN NOT MATCHED THEN INSERT (id, location_id, name, is_active, fulfills_online_orders, ships_inventory, address1, address2, city, province, province_code, country, country_code, zip, created_at, updated_at, deactivated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) VALUES (s.id, s.location_id, s.name, s.is_active, s.fulfills_online_orders, s.ships_inventory, s.address1, s.address2, s.city, s.province, s.province_code, s.country, s.country_code, s.zip, s.created_at, s.updated_at, s.deactivated_at, s._tenant_id, s._run_id, s._synced_at, s._deleted_at, JSON_PARSE(s._raw::VARCHAR(MAX)), s._truncated);

DELETE FROM reporting.locations USING shop_acme.locations s WHERE reporting.locations.tenant_id = 'acme' AND reporting.locations.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.locations (tenant_id, id, location_id, name, is_active, fulfills_online_orders, ships_inventory, address1, address2, city, province, province_code, country, country_code, zip, created_at, updated_at, deactivated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, location_id, name, is_active, fulfills_online_orders, ships_inventory, address1, address2, city, province, province_code, country, country_code, zip, created_at, updated_at, deactivated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.locations WHERE _run_id = '20261124T110000Z-00000002';

DELETE FROM stage_order_line_items USING shop_acme.order_line_items t WHERE stage_order_line_items.id = t.id AND t.order_updated_at IS NOT NULL AND (stage_order_line_items.order_updated_at IS NULL OR t.order_updated_at > stage_order_line_items.order_updated_at OR (t.order_updated_at = stage_order_line_items.order_updated_at AND t._run_id > stage_order_line_items._run_id));

MERGE INTO shop_acme.order_line_items USING stage_order_line_items s ON shop_acme.order_line_items.id = s.id WHEN MATCHED THEN UPDATE SET line_item_id = s.line_item_id, order_id = s.order_id, variant_id = s.variant_id, product_id = s.product_id, name = s.name, sku = s.sku, quantity = s.quantity, current_quantity = s.current_quantity, original_unit_price = s.original_unit_price, original_unit_price_currency = s.original_unit_price_currency, original_unit_price_presentment = s.original_unit_price_presentment, original_unit_price_presentment_currency = s.original_unit_price_presentment_currency, discounted_total = s.discounted_total, discounted_total_currency = s.discounted_total_currency, discounted_total_presentment = s.discounted_total_presentment, discounted_total_presentment_currency = s.discounted_total_presentment_currency, tax_lines = JSON_PARSE(s.tax_lines::VARCHAR(MAX)), discount_allocations = JSON_PARSE(s.discount_allocations::VARCHAR(MAX)), order_updated_at = s.order_updated_at, _tenant_id = s._tenant_id, _run_id = s._run_id, _synced_at = s._synced_at, _deleted_at = s._deleted_at, _raw = JSON_PARSE(s._raw::VARCHAR(MAX)), _truncated = s._truncated WHEN NOT MATCHED THEN INSERT (id, line_item_id, order_id, variant_id, product_id, name, sku, quantity, current_quantity, original_unit_price, original_unit_price_currency, original_unit_price_presentment, original_unit_price_presentment_currency, discounted_total, discounted_total_currency, discounted_total_presentment, discounted_total_presentment_currency, tax_lines, discount_allocations, order_updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _raw, _truncated) VALUES (s.id, s.line_item_id, s.order_id, s.variant_id, s.product_id, s.name, s.sku, s.quantity, s.current_quantity, s.original_unit_price, s.original_unit_price_currency, s.original_unit_price_presentment, s.original_unit_price_presentment_currency, s.discounted_total, s.discounted_total_currency, s.discounted_total_presentment, s.discounted_total_presentment_currency, JSON_PARSE(s.tax_lines::VARCHAR(MAX)), JSON_PARSE(s.discount_allocations::VARCHAR(MAX)), s.order_updated_at, s._tenant_id, s._run_id, s._synced_at, s._deleted_at, JSON_PARSE(s._raw::VARCHAR(MAX)), s._truncated);

DELETE FROM reporting.order_line_items USING shop_acme.order_line_items s WHERE reporting.order_line_items.tenant_id = 'acme' AND reporting.order_line_items.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.order_line_items (tenant_id, id, line_item_id, order_id, variant_id, product_id, name, sku, quantity, current_quantity, original_unit_price, original_unit_price_currency, original_unit_price_presentment, original_unit_price_presentment_currency, discounted_total, discounted_total_currency, discounted_total_presentment, discounted_total_presentment_currency, order_updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, line_item_id, order_id, variant_id, product_id, name, sku, quantity, current_quantity, original_unit_price, original_unit_price_currency, original_unit_price_presentment, original_unit_price_presentment_currency, discounted_total, discounted_total_currency, discounted_total_presentment, discounted_total_presentment_currency, order_updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.order_line_items WHERE _run_id = '20261124T110000Z-00000002';

UPDATE shop_acme.products SET _deleted_at = d.deleted_at, _run_id = d._run_id FROM stage_deletions d WHERE d.subject_type = 'PRODUCT' AND shop_acme.products.id = d.subject_id AND shop_acme.products._deleted_at IS NULL AND (shop_acme.products.updated_at IS NULL OR shop_acme.products.updated_at <= d.deleted_at);

DELETE FROM reporting.products USING shop_acme.products s WHERE reporting.products.tenant_id = 'acme' AND reporting.products.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.products (tenant_id, id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, product_id, title, handle, status, vendor, product_type, tags, description_html, total_inventory, tracks_inventory, created_at, updated_at, published_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.products WHERE _run_id = '20261124T110000Z-00000002';

UPDATE shop_acme.product_variants SET _deleted_at = d.deleted_at, _run_id = d._run_id FROM stage_deletions d WHERE d.subject_type = 'PRODUCT' AND shop_acme.product_variants.product_id = d.subject_id AND shop_acme.product_variants._deleted_at IS NULL AND (shop_acme.product_variants.updated_at IS NULL OR shop_acme.product_variants.updated_at <= d.deleted_at);

DELETE FROM reporting.product_variants USING shop_acme.product_variants s WHERE reporting.product_variants.tenant_id = 'acme' AND reporting.product_variants.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.product_variants (tenant_id, id, variant_id, product_id, inventory_item_id, title, display_name, sku, barcode, price, compare_at_price, position, taxable, inventory_policy, inventory_quantity, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, variant_id, product_id, inventory_item_id, title, display_name, sku, barcode, price, compare_at_price, position, taxable, inventory_policy, inventory_quantity, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.product_variants WHERE _run_id = '20261124T110000Z-00000002';

UPDATE shop_acme.inventory_items SET _deleted_at = d.deleted_at, _run_id = d._run_id FROM stage_deletions d, shop_acme.product_variants h1 WHERE d.subject_type = 'PRODUCT' AND shop_acme.inventory_items.variant_id = h1.id AND h1.product_id = d.subject_id AND shop_acme.inventory_items._deleted_at IS NULL AND (shop_acme.inventory_items.updated_at IS NULL OR shop_acme.inventory_items.updated_at <= d.deleted_at);

DELETE FROM reporting.inventory_items USING shop_acme.inventory_items s WHERE reporting.inventory_items.tenant_id = 'acme' AND reporting.inventory_items.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.inventory_items (tenant_id, id, inventory_item_id, variant_id, sku, tracked, requires_shipping, country_code_of_origin, harmonized_system_code, unit_cost, unit_cost_currency, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, inventory_item_id, variant_id, sku, tracked, requires_shipping, country_code_of_origin, harmonized_system_code, unit_cost, unit_cost_currency, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.inventory_items WHERE _run_id = '20261124T110000Z-00000002';

UPDATE shop_acme.inventory_levels SET _deleted_at = d.deleted_at, _run_id = d._run_id FROM stage_deletions d, shop_acme.inventory_items h1, shop_acme.product_variants h2 WHERE d.subject_type = 'PRODUCT' AND shop_acme.inventory_levels.inventory_item_id = h1.id AND h1.variant_id = h2.id AND h2.product_id = d.subject_id AND shop_acme.inventory_levels._deleted_at IS NULL AND (shop_acme.inventory_levels.updated_at IS NULL OR shop_acme.inventory_levels.updated_at <= d.deleted_at);

DELETE FROM reporting.inventory_levels USING shop_acme.inventory_levels s WHERE reporting.inventory_levels.tenant_id = 'acme' AND reporting.inventory_levels.id = s.id AND s._run_id = '20261124T110000Z-00000002';

INSERT INTO reporting.inventory_levels (tenant_id, id, inventory_level_id, inventory_item_id, location_id, available, on_hand, committed, incoming, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated) SELECT 'acme', id, inventory_level_id, inventory_item_id, location_id, available, on_hand, committed, incoming, created_at, updated_at, _tenant_id, _run_id, _synced_at, _deleted_at, _truncated FROM shop_acme.inventory_levels WHERE _run_id = '20261124T110000Z-00000002';

INSERT INTO shopsync_ops.load_ledger (tenant_id, run_id, stream, rows, loaded_at, records, mode, cursor_to) SELECT 'acme', '20261124T110000Z-00000002', e.stream, e.n, CAST('2026-11-24 12:00:00.000000+00' AS TIMESTAMPTZ), e.records, 'incremental', e.cursor_to FROM (SELECT 'products' AS stream, (SELECT COUNT(*) FROM stage_products) AS n, CAST(2 AS BIGINT) AS records, CAST('2026-11-24T11:00:00Z' AS VARCHAR(256)) AS cursor_to UNION ALL SELECT 'locations' AS stream, (SELECT COUNT(*) FROM stage_locations) AS n, CAST(3 AS BIGINT) AS records, CAST(NULL AS VARCHAR(256)) AS cursor_to UNION ALL SELECT 'order_line_items' AS stream, (SELECT COUNT(*) FROM stage_order_line_items) AS n, CAST(NULL AS BIGINT) AS records, CAST(NULL AS VARCHAR(256)) AS cursor_to UNION ALL SELECT '_manifest' AS stream, 0 AS n, CAST(10 AS BIGINT) AS records, CAST(NULL AS VARCHAR(256)) AS cursor_to) e WHERE NOT EXISTS (SELECT 1 FROM shopsync_ops.load_ledger l WHERE l.tenant_id = 'acme' AND l.run_id = '20261124T110000Z-00000002' AND l.stream = e.stream);

INSERT INTO shopsync_ops.skipped_streams (tenant_id, run_id, stream, missing_scope, loaded_at) SELECT 'acme', '20261124T110000Z-00000002', e.stream, e.missing_scope, CAST('2026-11-24 12:00:00.000000+00' AS TIMESTAMPTZ) FROM (SELECT 'customers' AS stream, 'read_customers' AS missing_scope) e WHERE NOT EXISTS (SELECT 1 FROM shopsync_ops.skipped_streams s WHERE s.tenant_id = 'acme' AND s.run_id = '20261124T110000Z-00000002' AND s.stream = e.stream AND s.missing_scope = e.missing_scope);
