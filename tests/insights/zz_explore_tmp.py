import collections
from hypothesis import given, settings, HealthCheck, strategies as st
from loglake.analytics.insights import compile_query, InsightsError
import tests.insights.test_properties as tp

found = collections.defaultdict(list)

@settings(max_examples=8000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.one_of(st.text(), tp.query_like_text, tp.deep_text))
def test_explore(text):
    try:
        c = compile_query(text)
    except InsightsError as e:
        try: tp.assert_position_inside(e, text)
        except AssertionError as a: found["position:" + str(a)[:60]].append(text)
        return
    except Exception as e:
        found[type(e).__name__ + ":" + str(e)[:80]].append(text); return
    try:
        tp.assert_one_select(c.probe_sql)
    except Exception as e:
        found["parse:" + str(e)[:80]].append(text); return

def test_report():
    with open("/tmp/explore/report.txt", "w") as out:
        for k, v in sorted(found.items(), key=lambda kv: -len(kv[1])):
            shortest = min(v, key=len)
            print(len(v), k, "\n    ", repr(shortest[:300]), file=out)
