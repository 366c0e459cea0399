   -- VX_1__rollback_VX.sql
   -- Undo changes from VX
   DROP TABLE IF EXISTS new_table;
   ALTER TABLE existing_table DROP COLUMN IF EXISTS new_column;
   