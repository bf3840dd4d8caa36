"""Named choices with Swedish labels; the UI, API, reports and tests share them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDEA = "ide", _("Idé")
    PRESTUDY = "forstudie", _("Förstudie")
    PROJECT = "projekt", _("Projekt")
    ASSIGNMENT = "uppdrag", _("Uppdrag")
    IMPLEMENTATION = "implementation", _("Implementation")
    OPERATION = "forvaltning", _("Förvaltning")
    REJECTED = "avslagen", _("Avslagen")
    CANCELLED = "avbruten", _("Avbruten")


TERMINAL_STAGES = frozenset({Stage.REJECTED, Stage.CANCELLED})
ACTIVE_STAGES = (
    Stage.IDEA,
    Stage.PRESTUDY,
    Stage.PROJECT,
    Stage.ASSIGNMENT,
    Stage.IMPLEMENTATION,
    Stage.OPERATION,
)


class Gate(models.TextChoices):
    G0 = "G0", _("G0: idé till förstudie")
    G1 = "G1", _("G1: förstudie till projekt eller uppdrag")
    G2 = "G2", _("G2: projekt eller uppdrag till implementation")
    G3 = "G3", _("G3: implementation till förvaltning")


class DecisionKind(models.TextChoices):
    G0 = "G0", _("Grindbeslut G0")
    G1 = "G1", _("Grindbeslut G1")
    G2 = "G2", _("Grindbeslut G2")
    G3 = "G3", _("Grindbeslut G3")
    CANCEL = "avbryt", _("Beslut att avbryta")


class DecisionOutcome(models.TextChoices):
    APPROVED = "godkand", _("Godkänd")
    RETURNED = "aterremitterad", _("Återremitterad")
    REJECTED = "avslagen", _("Avslagen")


class DecisionBody(models.TextChoices):
    """The kind of body that decides; a portfolio names its own bodies (Body)."""

    PROGRAM = "programstyrgrupp", _("Programstyrgrupp")
    BOARD = "portfoljstyrgrupp", _("Portföljstyrgrupp")
    COMMISSIONING = "bestallargrupp", _("Strategisk beställargrupp")
    DIRECTORATE = "direktion", _("Direktion")
    OTHER = "annat", _("Annat beslutande organ")


class Matter(models.TextChoices):
    """What a body decides: the gates, cancellation, locking a settlement, agreements.

    The gate and cancellation values are those of DecisionKind, so a decision's kind is
    the matter it belongs to."""

    G0 = "G0", _("Grindbeslut G0")
    G1 = "G1", _("Grindbeslut G1")
    G2 = "G2", _("Grindbeslut G2")
    G3 = "G3", _("Grindbeslut G3")
    CANCEL = "avbryt", _("Beslut att avbryta")
    SETTLEMENT = "avrakning", _("Avräkning och låsning av en period")
    AGREEMENT = "avtal", _("Avtal")


class Area(models.TextChoices):
    OUTSIDE = "utsida", _("Utsida")
    INSIDE = "insida", _("Insida")
    IT_FACTORY = "it_fabrik", _("IT-fabrik")


class TargetGroup(models.TextChoices):
    RESIDENTS = "invanare", _("Invånare")
    STAFF = "medarbetare", _("Medarbetare")
    BOTH = "bada", _("Invånare och medarbetare")


class ParticipationStatus(models.TextChoices):
    INVITED = "inbjuden", _("Inbjuden")
    INTERESTED = "intresserad", _("Intresserad")
    PARTICIPATING = "deltar", _("Deltar")
    DECLINED = "avstar", _("Avstår")
    LEFT = "lamnat", _("Har lämnat")


class Health(models.TextChoices):
    GREEN = "gron", _("Grön")
    YELLOW = "gul", _("Gul")
    RED = "rod", _("Röd")


HEALTH_COLOURS = {Health.GREEN: "#1b7f3b", Health.YELLOW: "#a86b00", Health.RED: "#b3261e"}


class SecurityClassification(models.TextChoices):
    NOT_DONE = "", _("Ej genomförd")
    LOW = "lag", _("Låg")
    MODERATE = "mattlig", _("Måttlig")
    HIGH = "hog", _("Hög")
    VERY_HIGH = "mycket_hog", _("Mycket hög")


class CostKind(models.TextChoices):
    DEVELOPMENT = "utveckling", _("Förstudie och utveckling")
    OPERATION = "drift", _("Drift och förvaltning")


class CostNature(models.TextChoices):
    ESTIMATE = "estimat", _("Estimat")
    ACTUAL = "utfall", _("Utfall")


class AllocationMethod(models.TextChoices):
    POPULATION_AND_EQUAL = "folkmangd_lika", _("Folkmängd och lika del")
    FIXED_FEE = "fast_avgift", _("Fast avgift per part")


class CriterionKind(models.TextChoices):
    SYSTEM = "system", _("Kontrolleras av systemet")
    MANUAL = "manuell", _("Bekräftas av en person")
