"""Council back-office systems behind narrow, typed interfaces.

Three layers, as in open311-adapter: a raw client per vendor (transport only,
`vendors/*`), a vendor integration that maps the vendor's API to one of the
typed service interfaces (`council_tax`, `waste`, `street_reports`, `planning`,
`housing`, `payments`), and configuration in `councils/<id>/council.yml` saying
which integration serves each service, where, and which environment variable
holds its key (`registry`).
"""
