"""The floor: the list API's page of 50 built by PostgreSQL alone, in one json_agg query.

The same rows, fields, participants, latest health and visibility rule as
`GET /api/v1/initiatives/?portfolio=<id>&page=N`, returned as one JSON text over the
same kind of TCP connection. What an endpoint costs above this is the application's.
"""

import time

import psycopg2
from django.db import connection

from .stats import summary

PAGE_SQL = """
WITH visible AS (
  SELECT p.id FROM portfolio_portfolio p
  WHERE p.constellation_id IN (
    SELECT constellation_id FROM municipalities_constellation_members
    WHERE municipality_id = %(municipality)s)
), page AS (
  SELECT i.* FROM portfolio_initiative i
  WHERE i.portfolio_id = %(portfolio)s AND i.portfolio_id IN (SELECT id FROM visible)
  ORDER BY i.id LIMIT %(size)s OFFSET %(offset)s
)
SELECT json_build_object(
  'count', (SELECT count(*) FROM portfolio_initiative i
            WHERE i.portfolio_id = %(portfolio)s AND i.portfolio_id IN (SELECT id FROM visible)),
  'results', COALESCE(json_agg(json_build_object(
    'id', page.id, 'reference', page.reference, 'portfolio', page.portfolio_id,
    'program', page.program_id, 'program_name', pr.name, 'stage', page.stage,
    'is_paused', page.is_paused,
    'health', (SELECT CASE
                 WHEN 'rod' IN (s.health_time, s.health_cost, s.health_quality) THEN 'rod'
                 WHEN 'gul' IN (s.health_time, s.health_cost, s.health_quality) THEN 'gul'
                 ELSE 'gron' END
               FROM portfolio_statusupdate s WHERE s.initiative_id = page.id
               ORDER BY s.reported_on DESC, s.id DESC LIMIT 1),
    'title', page.title, 'need', page.need, 'expected_benefit', page.expected_benefit,
    'area', page.area, 'target_group', page.target_group,
    'collaboration_level', page.collaboration_level, 'planned_start', page.planned_start,
    'planned_end', page.planned_end, 'registration_number', page.registration_number,
    'prestudy_conclusion', page.prestudy_conclusion,
    'security_classification', page.security_classification,
    'child_impact_analysis', page.child_impact_analysis,
    'implementation_plan', page.implementation_plan, 'operation_owner', page.operation_owner,
    'benefit_followup_plan', page.benefit_followup_plan,
    'proposing_municipality', page.proposing_municipality_id, 'owner', page.owner_id,
    'priority_score', page.priority_score, 'is_new', page.is_new,
    'is_useful', page.is_useful, 'is_used', page.is_used,
    'participants', (
      SELECT COALESCE(json_agg(json_build_object(
               'municipality', pa.municipality_id, 'municipality_name', m.name,
               'status', pa.status, 'joined_on', pa.joined_on, 'left_on', pa.left_on)
             ORDER BY m.name), '[]'::json)
      FROM portfolio_participation pa
      JOIN municipalities_municipality m ON m.id = pa.municipality_id
      WHERE pa.initiative_id = page.id AND pa.status = 'deltar'),
    'submitted_at', page.submitted_at, 'updated_at', page.updated_at, 'version', page.version
  ) ORDER BY page.id), '[]'::json)
)::text
FROM page LEFT JOIN portfolio_program pr ON pr.id = page.program_id
"""


def list_page_floor(portfolio_id: int, municipality_id: int, pages: list[int], repeat: int):
    """Median and p95 of the floor query over `repeat` runs, cycling through the same pages
    as the HTTP measurement; its own connection, so nothing of Django's is timed."""
    raw = psycopg2.connect(**connection.get_connection_params())
    raw.autocommit = True
    timings, size = [], 0
    try:
        with raw.cursor() as cursor:
            for i in range(repeat + 3):
                page = pages[i % len(pages)]
                params = {
                    "portfolio": portfolio_id,
                    "municipality": municipality_id,
                    "size": 50,
                    "offset": (page - 1) * 50,
                }
                started = time.perf_counter()
                cursor.execute(PAGE_SQL, params)
                text = cursor.fetchone()[0]
                elapsed = (time.perf_counter() - started) * 1000
                if i >= 3:  # the first runs warm the plan and the buffers, as for HTTP
                    timings.append(elapsed)
                    size = len(text)
    finally:
        raw.close()
    return {**summary(timings), "bytes": size}
