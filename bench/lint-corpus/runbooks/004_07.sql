   CREATE TABLE interactions (
       customer_id UUID REFERENCES customers(id)
   );
   CREATE INDEX idx_interactions_customer_id ON interactions(customer_id);
   