"""The service directory: Open Referral UK records, place lookup and nearest-service search."""
