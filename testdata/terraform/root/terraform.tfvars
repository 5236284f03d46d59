namespace  = "orders"
account_id = "111122223333"
