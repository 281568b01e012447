"""Alert rules over the lake: query, ready-made per-function and error pattern rules.

``rule_file`` reads and checks a YAML rule file, ``engine`` evaluates it (``check`` at one
instant with stored state, ``replay`` over history), ``state`` keeps each alert's state in
the lake, and ``delivery`` sends notifications to standard output, webhooks and SNS.
"""
