"""From a sweep's runs to one page: findings in words (``findings``), the sections of a
comparison (``comparison_report``, with ``staffing_view``, ``plan_view``,
``staffing_sections`` and ``output_section``) or of a study (``study_report``), and the
page itself with its figures and HTML (``page``). ``build`` is the one road: runs in, a
``Report`` out; the application writes it."""
