"""The database connector: GridScreen reads a county's grid platform (平安通 / 基层治理平台)
directly, as the platform's system of record keeps changing.

- ``mapping``   the mapping file (TOML): per entity a query in the platform's SQL and the
                translation of its columns, codes and statuses to ours; validated on load;
- ``source``    opening the platform's database, its queries, its values and watermarks;
- ``rows``      one source row made ours, or refused with the reason;
- ``catalogue`` areas, departments, categories and staff upserted;
- ``cases``     cases upserted, their log rebuilt through ``lifecycle``;
- ``sync``      one run of one source, recorded;
- ``runs``      sources, watermarks, runs and refused rows; ``health`` for the screens;
- ``runner``    syncing every source again and again (``gridscreen sync --every``).
"""
