DROP VIEW IF EXISTS daily_revenue;
DROP TABLE payments;
DROP TYPE payment_status;
