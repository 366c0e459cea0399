-- Re-applied whenever it changes (and after an undo of a migration it is built on).
CREATE OR REPLACE VIEW daily_revenue AS
SELECT date_trunc('day', p.created_at) AS day,
       count(*)                        AS payments,
       sum(p.amount_cents)             AS cents
FROM payments p
WHERE p.status = 'captured'
GROUP BY 1;
