"""Follows: anyone follows a party, an agency, a region, a category or a saved
search with an e-mail address and gets immediate mails or digests, and a notice
whenever a record they were told about is withdrawn, expires or is repaired."""
