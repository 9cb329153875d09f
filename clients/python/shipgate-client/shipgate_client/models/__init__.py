"""Contains all the data models used in inputs/outputs"""

from .account_answer import AccountAnswer
from .account_input import AccountInput
from .account_input_credentials import AccountInputCredentials
from .account_input_settings_type_0 import AccountInputSettingsType0
from .account_list import AccountList
from .account_update import AccountUpdate
from .account_update_credentials_type_0 import AccountUpdateCredentialsType0
from .account_update_settings_type_0 import AccountUpdateSettingsType0
from .account_view import AccountView
from .account_view_settings import AccountViewSettings
from .action_input import ActionInput
from .action_kind import ActionKind
from .action_type_0 import ActionType0
from .action_type_0_action import ActionType0Action
from .action_type_1 import ActionType1
from .action_type_1_action import ActionType1Action
from .action_type_2 import ActionType2
from .action_type_2_action import ActionType2Action
from .action_type_3 import ActionType3
from .action_type_3_action import ActionType3Action
from .action_type_4 import ActionType4
from .action_type_4_action import ActionType4Action
from .actual_booking_input import ActualBookingInput
from .actual_choice import ActualChoice
from .actual_outcome import ActualOutcome
from .address import Address
from .address_action import AddressAction
from .address_input import AddressInput
from .address_policy import AddressPolicy
from .address_policy_input import AddressPolicyInput
from .address_policy_view import AddressPolicyView
from .address_quality import AddressQuality
from .address_quality_report import AddressQualityReport
from .address_rule import AddressRule
from .address_rule_input import AddressRuleInput
from .address_validation import AddressValidation
from .address_when import AddressWhen
from .address_when_input import AddressWhenInput
from .alternative import Alternative
from .assessment import Assessment
from .attempt_outcome import AttemptOutcome
from .attempt_record import AttemptRecord
from .attempt_view import AttemptView
from .audit_actor import AuditActor
from .audit_event import AuditEvent
from .audit_event_after_type_0 import AuditEventAfterType0
from .audit_event_before_type_0 import AuditEventBeforeType0
from .audit_event_list import AuditEventList
from .audit_target import AuditTarget
from .band import Band
from .band_report import BandReport
from .batch_event import BatchEvent
from .batch_input import BatchInput
from .batch_item_list import BatchItemList
from .batch_item_view import BatchItemView
from .batch_item_view_problem_type_0 import BatchItemViewProblemType0
from .batch_links import BatchLinks
from .batch_list import BatchList
from .batch_view import BatchView
from .batch_view_counts import BatchViewCounts
from .booking_state import BookingState
from .branding_input import BrandingInput
from .branding_view import BrandingView
from .bulk_labels_input import BulkLabelsInput
from .capabilities import Capabilities
from .carrier_info import CarrierInfo
from .carrier_list import CarrierList
from .carrier_overcharges import CarrierOvercharges
from .carrier_readiness import CarrierReadiness
from .charge import Charge
from .charge_comparison import ChargeComparison
from .charge_kind import ChargeKind
from .choice_mode import ChoiceMode
from .circuit_view import CircuitView
from .cod_amount import CodAmount
from .cod_charge import CodCharge
from .cod_input import CodInput
from .cod_outcome_counts import CodOutcomeCounts
from .cod_remittance_data import CodRemittanceData
from .cod_remittance_message import CodRemittanceMessage
from .cod_remittance_reconciled_event import CodRemittanceReconciledEvent
from .cod_remittance_reconciled_event_type import CodRemittanceReconciledEventType
from .cod_remittance_summary import CodRemittanceSummary
from .cod_report import CodReport
from .cod_report_row import CodReportRow
from .cod_total import CodTotal
from .compare_input import CompareInput
from .compare_report import CompareReport
from .conditions import Conditions
from .conditions_input import ConditionsInput
from .created_endpoint import CreatedEndpoint
from .customs import Customs
from .customs_input import CustomsInput
from .customs_item import CustomsItem
from .customs_item_input import CustomsItemInput
from .decision import Decision
from .decision_input import DecisionInput
from .decision_view import DecisionView
from .declared_value import DeclaredValue
from .default_parcel import DefaultParcel
from .delivery_detail import DeliveryDetail
from .delivery_list import DeliveryList
from .delivery_state import DeliveryState
from .delivery_view import DeliveryView
from .discrepancy_list import DiscrepancyList
from .dispute_input import DisputeInput
from .dispute_view import DisputeView
from .document_entry import DocumentEntry
from .document_list import DocumentList
from .dry_run_alternative import DryRunAlternative
from .dry_run_links import DryRunLinks
from .dry_run_list import DryRunList
from .dry_run_outcome import DryRunOutcome
from .dry_run_selection import DryRunSelection
from .dry_run_view import DryRunView
from .duties_payer import DutiesPayer
from .endpoint_input import EndpointInput
from .endpoint_list import EndpointList
from .endpoint_update import EndpointUpdate
from .endpoint_view import EndpointView
from .estimate_source import EstimateSource
from .event_data import EventData
from .event_message import EventMessage
from .event_record import EventRecord
from .event_type import EventType
from .export_reason import ExportReason
from .family import Family
from .field_error import FieldError
from .group_by import GroupBy
from .health import Health
from .import_summary import ImportSummary
from .incoterm import Incoterm
from .invoice_charge_kind import InvoiceChargeKind
from .item import Item
from .item_error import ItemError
from .item_input import ItemInput
from .label_format import LabelFormat
from .lane import Lane
from .lane_metric import LaneMetric
from .lane_report import LaneReport
from .lane_scorecard import LaneScorecard
from .layout import Layout
from .line_view import LineView
from .links import Links
from .location_registration import LocationRegistration
from .magento_rate import MagentoRate
from .magento_rate_request import MagentoRateRequest
from .magento_rates import MagentoRates
from .manifest_created_event import ManifestCreatedEvent
from .manifest_created_event_type import ManifestCreatedEventType
from .manifest_data import ManifestData
from .manifest_input import ManifestInput
from .manifest_line import ManifestLine
from .manifest_list import ManifestList
from .manifest_message import ManifestMessage
from .manifest_view import ManifestView
from .markup import Markup
from .matched import Matched
from .message_event import MessageEvent
from .message_view import MessageView
from .message_view_payload import MessageViewPayload
from .money import Money
from .ndr_action_data import NdrActionData
from .ndr_action_input import NdrActionInput
from .ndr_action_list import NdrActionList
from .ndr_action_message import NdrActionMessage
from .ndr_action_requested_event import NdrActionRequestedEvent
from .ndr_action_requested_event_type import NdrActionRequestedEventType
from .ndr_action_result_event import NdrActionResultEvent
from .ndr_action_result_event_type import NdrActionResultEventType
from .ndr_action_summary import NdrActionSummary
from .ndr_action_summary_params import NdrActionSummaryParams
from .ndr_queue import NdrQueue
from .ndr_queue_entry import NdrQueueEntry
from .ndr_raised_event import NdrRaisedEvent
from .ndr_raised_event_type import NdrRaisedEventType
from .ndr_range_input import NdrRangeInput
from .ndr_rule import NdrRule
from .ndr_rule_input import NdrRuleInput
from .ndr_state import NdrState
from .objective import Objective
from .order import Order
from .order_comparison import OrderComparison
from .outcome import Outcome
from .outcome_counts import OutcomeCounts
from .outstanding_cod import OutstandingCod
from .outstanding_list import OutstandingList
from .overcharge_line import OverchargeLine
from .overcharge_report import OverchargeReport
from .parcel import Parcel
from .parcel_input import ParcelInput
from .parts import Parts
from .payment import Payment
from .payment_input import PaymentInput
from .payment_mode import PaymentMode
from .pickup_data import PickupData
from .pickup_failed_event import PickupFailedEvent
from .pickup_failed_event_type import PickupFailedEventType
from .pickup_input import PickupInput
from .pickup_list import PickupList
from .pickup_location_input import PickupLocationInput
from .pickup_location_list import PickupLocationList
from .pickup_location_view import PickupLocationView
from .pickup_location_view_address import PickupLocationViewAddress
from .pickup_message import PickupMessage
from .pickup_scheduled_event import PickupScheduledEvent
from .pickup_scheduled_event_type import PickupScheduledEventType
from .pickup_shipment import PickupShipment
from .pickup_state import PickupState
from .pickup_view import PickupView
from .policy import Policy
from .policy_input import PolicyInput
from .policy_view import PolicyView
from .problem import Problem
from .problem_source import ProblemSource
from .pull_report import PullReport
from .pull_result import PullResult
from .push_accepted import PushAccepted
from .qc_check import QcCheck
from .qc_input import QcInput
from .quality import Quality
from .quota_use import QuotaUse
from .range_ import Range
from .range_input import RangeInput
from .rate_card import RateCard
from .rate_card_detail import RateCardDetail
from .rate_card_input import RateCardInput
from .rate_card_input_zones import RateCardInputZones
from .rate_card_list import RateCardList
from .rate_card_version import RateCardVersion
from .rate_card_view import RateCardView
from .rate_card_zones import RateCardZones
from .rate_error import RateError
from .rate_quote import RateQuote
from .rate_request_input import RateRequestInput
from .rate_response import RateResponse
from .readiness import Readiness
from .readiness_carriers import ReadinessCarriers
from .reason import Reason
from .receive_carrier_account_push_body import ReceiveCarrierAccountPushBody
from .receive_carrier_push_body import ReceiveCarrierPushBody
from .recommendation import Recommendation
from .remittance_detail import RemittanceDetail
from .remittance_list import RemittanceList
from .replay_range import ReplayRange
from .replay_status import ReplayStatus
from .replayed import Replayed
from .request_summary import RequestSummary
from .reschedule_input import RescheduleInput
from .resolve_input import ResolveInput
from .return_created_event import ReturnCreatedEvent
from .return_created_event_type import ReturnCreatedEventType
from .return_data import ReturnData
from .return_input import ReturnInput
from .return_link import ReturnLink
from .return_list import ReturnList
from .return_message import ReturnMessage
from .return_reason import ReturnReason
from .return_summary import ReturnSummary
from .return_summary_qc_type_0 import ReturnSummaryQcType0
from .return_view import ReturnView
from .rotated_secret import RotatedSecret
from .row_outcome import RowOutcome
from .rto_initiated_event import RtoInitiatedEvent
from .rto_initiated_event_type import RtoInitiatedEventType
from .rule import Rule
from .rule_input import RuleInput
from .rule_set import RuleSet
from .rule_set_input import RuleSetInput
from .rule_set_summary import RuleSetSummary
from .rule_set_versions import RuleSetVersions
from .rule_set_view import RuleSetView
from .score_range_input import ScoreRangeInput
from .scorecard import Scorecard
from .scorecards import Scorecards
from .selection_record import SelectionRecord
from .sftp_source_input import SftpSourceInput
from .sftp_source_list import SftpSourceList
from .sftp_source_view import SftpSourceView
from .shipgate_choice import ShipgateChoice
from .shipment_cancelled_event import ShipmentCancelledEvent
from .shipment_cancelled_event_type import ShipmentCancelledEventType
from .shipment_counts import ShipmentCounts
from .shipment_counts_by_status import ShipmentCountsByStatus
from .shipment_counts_by_sub_status import ShipmentCountsBySubStatus
from .shipment_created_event import ShipmentCreatedEvent
from .shipment_created_event_type import ShipmentCreatedEventType
from .shipment_delivered_event import ShipmentDeliveredEvent
from .shipment_delivered_event_type import ShipmentDeliveredEventType
from .shipment_exception_event import ShipmentExceptionEvent
from .shipment_exception_event_type import ShipmentExceptionEventType
from .shipment_kind import ShipmentKind
from .shipment_list import ShipmentList
from .shipment_message_list import ShipmentMessageList
from .shipment_request_input import ShipmentRequestInput
from .shipment_summary import ShipmentSummary
from .shipment_view import ShipmentView
from .shipment_view_carrier_refs import ShipmentViewCarrierRefs
from .shipment_weight import ShipmentWeight
from .shopify_address import ShopifyAddress
from .shopify_cart import ShopifyCart
from .shopify_item import ShopifyItem
from .shopify_rate import ShopifyRate
from .shopify_rate_request import ShopifyRateRequest
from .shopify_rates import ShopifyRates
from .standalone_return_input import StandaloneReturnInput
from .status import Status
from .storefront_input import StorefrontInput
from .storefront_list import StorefrontList
from .storefront_settings import StorefrontSettings
from .storefront_view import StorefrontView
from .sub_status import SubStatus
from .tenant_account_options import TenantAccountOptions
from .thresholds import Thresholds
from .totals import Totals
from .tracking_event import TrackingEvent
from .tracking_updated_event import TrackingUpdatedEvent
from .tracking_updated_event_type import TrackingUpdatedEventType
from .tracking_view import TrackingView
from .uploaded_view import UploadedView
from .validate_input import ValidateInput
from .validated import Validated
from .validated_rate_card import ValidatedRateCard
from .weight_discrepancy_data import WeightDiscrepancyData
from .weight_discrepancy_flagged_event import WeightDiscrepancyFlaggedEvent
from .weight_discrepancy_flagged_event_type import WeightDiscrepancyFlaggedEventType
from .weight_discrepancy_message import WeightDiscrepancyMessage
from .weight_discrepancy_view import WeightDiscrepancyView
from .when import When
from .when_input import WhenInput
from .woo_address import WooAddress
from .woo_line import WooLine
from .woo_package import WooPackage
from .woo_rate import WooRate
from .woo_rate_meta_data import WooRateMetaData
from .woo_rate_request import WooRateRequest
from .woo_rates import WooRates
from .working_hours import WorkingHours
from .zone import Zone
from .zone_rate import ZoneRate
from .zone_rate_input import ZoneRateInput

__all__ = (
    "AccountAnswer",
    "AccountInput",
    "AccountInputCredentials",
    "AccountInputSettingsType0",
    "AccountList",
    "AccountUpdate",
    "AccountUpdateCredentialsType0",
    "AccountUpdateSettingsType0",
    "AccountView",
    "AccountViewSettings",
    "ActionInput",
    "ActionKind",
    "ActionType0",
    "ActionType0Action",
    "ActionType1",
    "ActionType1Action",
    "ActionType2",
    "ActionType2Action",
    "ActionType3",
    "ActionType3Action",
    "ActionType4",
    "ActionType4Action",
    "ActualBookingInput",
    "ActualChoice",
    "ActualOutcome",
    "Address",
    "AddressAction",
    "AddressInput",
    "AddressPolicy",
    "AddressPolicyInput",
    "AddressPolicyView",
    "AddressQuality",
    "AddressQualityReport",
    "AddressRule",
    "AddressRuleInput",
    "AddressValidation",
    "AddressWhen",
    "AddressWhenInput",
    "Alternative",
    "Assessment",
    "AttemptOutcome",
    "AttemptRecord",
    "AttemptView",
    "AuditActor",
    "AuditEvent",
    "AuditEventAfterType0",
    "AuditEventBeforeType0",
    "AuditEventList",
    "AuditTarget",
    "Band",
    "BandReport",
    "BatchEvent",
    "BatchInput",
    "BatchItemList",
    "BatchItemView",
    "BatchItemViewProblemType0",
    "BatchLinks",
    "BatchList",
    "BatchView",
    "BatchViewCounts",
    "BookingState",
    "BrandingInput",
    "BrandingView",
    "BulkLabelsInput",
    "Capabilities",
    "CarrierInfo",
    "CarrierList",
    "CarrierOvercharges",
    "CarrierReadiness",
    "Charge",
    "ChargeComparison",
    "ChargeKind",
    "ChoiceMode",
    "CircuitView",
    "CodAmount",
    "CodCharge",
    "CodInput",
    "CodOutcomeCounts",
    "CodRemittanceData",
    "CodRemittanceMessage",
    "CodRemittanceReconciledEvent",
    "CodRemittanceReconciledEventType",
    "CodRemittanceSummary",
    "CodReport",
    "CodReportRow",
    "CodTotal",
    "CompareInput",
    "CompareReport",
    "Conditions",
    "ConditionsInput",
    "CreatedEndpoint",
    "Customs",
    "CustomsInput",
    "CustomsItem",
    "CustomsItemInput",
    "Decision",
    "DecisionInput",
    "DecisionView",
    "DeclaredValue",
    "DefaultParcel",
    "DeliveryDetail",
    "DeliveryList",
    "DeliveryState",
    "DeliveryView",
    "DiscrepancyList",
    "DisputeInput",
    "DisputeView",
    "DocumentEntry",
    "DocumentList",
    "DryRunAlternative",
    "DryRunLinks",
    "DryRunList",
    "DryRunOutcome",
    "DryRunSelection",
    "DryRunView",
    "DutiesPayer",
    "EndpointInput",
    "EndpointList",
    "EndpointUpdate",
    "EndpointView",
    "EstimateSource",
    "EventData",
    "EventMessage",
    "EventRecord",
    "EventType",
    "ExportReason",
    "Family",
    "FieldError",
    "GroupBy",
    "Health",
    "ImportSummary",
    "Incoterm",
    "InvoiceChargeKind",
    "Item",
    "ItemError",
    "ItemInput",
    "LabelFormat",
    "Lane",
    "LaneMetric",
    "LaneReport",
    "LaneScorecard",
    "Layout",
    "LineView",
    "Links",
    "LocationRegistration",
    "MagentoRate",
    "MagentoRateRequest",
    "MagentoRates",
    "ManifestCreatedEvent",
    "ManifestCreatedEventType",
    "ManifestData",
    "ManifestInput",
    "ManifestLine",
    "ManifestList",
    "ManifestMessage",
    "ManifestView",
    "Markup",
    "Matched",
    "MessageEvent",
    "MessageView",
    "MessageViewPayload",
    "Money",
    "NdrActionData",
    "NdrActionInput",
    "NdrActionList",
    "NdrActionMessage",
    "NdrActionRequestedEvent",
    "NdrActionRequestedEventType",
    "NdrActionResultEvent",
    "NdrActionResultEventType",
    "NdrActionSummary",
    "NdrActionSummaryParams",
    "NdrQueue",
    "NdrQueueEntry",
    "NdrRaisedEvent",
    "NdrRaisedEventType",
    "NdrRangeInput",
    "NdrRule",
    "NdrRuleInput",
    "NdrState",
    "Objective",
    "Order",
    "OrderComparison",
    "Outcome",
    "OutcomeCounts",
    "OutstandingCod",
    "OutstandingList",
    "OverchargeLine",
    "OverchargeReport",
    "Parcel",
    "ParcelInput",
    "Parts",
    "Payment",
    "PaymentInput",
    "PaymentMode",
    "PickupData",
    "PickupFailedEvent",
    "PickupFailedEventType",
    "PickupInput",
    "PickupList",
    "PickupLocationInput",
    "PickupLocationList",
    "PickupLocationView",
    "PickupLocationViewAddress",
    "PickupMessage",
    "PickupScheduledEvent",
    "PickupScheduledEventType",
    "PickupShipment",
    "PickupState",
    "PickupView",
    "Policy",
    "PolicyInput",
    "PolicyView",
    "Problem",
    "ProblemSource",
    "PullReport",
    "PullResult",
    "PushAccepted",
    "QcCheck",
    "QcInput",
    "Quality",
    "QuotaUse",
    "Range",
    "RangeInput",
    "RateCard",
    "RateCardDetail",
    "RateCardInput",
    "RateCardInputZones",
    "RateCardList",
    "RateCardVersion",
    "RateCardView",
    "RateCardZones",
    "RateError",
    "RateQuote",
    "RateRequestInput",
    "RateResponse",
    "Readiness",
    "ReadinessCarriers",
    "Reason",
    "ReceiveCarrierAccountPushBody",
    "ReceiveCarrierPushBody",
    "Recommendation",
    "RemittanceDetail",
    "RemittanceList",
    "Replayed",
    "ReplayRange",
    "ReplayStatus",
    "RequestSummary",
    "RescheduleInput",
    "ResolveInput",
    "ReturnCreatedEvent",
    "ReturnCreatedEventType",
    "ReturnData",
    "ReturnInput",
    "ReturnLink",
    "ReturnList",
    "ReturnMessage",
    "ReturnReason",
    "ReturnSummary",
    "ReturnSummaryQcType0",
    "ReturnView",
    "RotatedSecret",
    "RowOutcome",
    "RtoInitiatedEvent",
    "RtoInitiatedEventType",
    "Rule",
    "RuleInput",
    "RuleSet",
    "RuleSetInput",
    "RuleSetSummary",
    "RuleSetVersions",
    "RuleSetView",
    "Scorecard",
    "Scorecards",
    "ScoreRangeInput",
    "SelectionRecord",
    "SftpSourceInput",
    "SftpSourceList",
    "SftpSourceView",
    "ShipgateChoice",
    "ShipmentCancelledEvent",
    "ShipmentCancelledEventType",
    "ShipmentCounts",
    "ShipmentCountsByStatus",
    "ShipmentCountsBySubStatus",
    "ShipmentCreatedEvent",
    "ShipmentCreatedEventType",
    "ShipmentDeliveredEvent",
    "ShipmentDeliveredEventType",
    "ShipmentExceptionEvent",
    "ShipmentExceptionEventType",
    "ShipmentKind",
    "ShipmentList",
    "ShipmentMessageList",
    "ShipmentRequestInput",
    "ShipmentSummary",
    "ShipmentView",
    "ShipmentViewCarrierRefs",
    "ShipmentWeight",
    "ShopifyAddress",
    "ShopifyCart",
    "ShopifyItem",
    "ShopifyRate",
    "ShopifyRateRequest",
    "ShopifyRates",
    "StandaloneReturnInput",
    "Status",
    "StorefrontInput",
    "StorefrontList",
    "StorefrontSettings",
    "StorefrontView",
    "SubStatus",
    "TenantAccountOptions",
    "Thresholds",
    "Totals",
    "TrackingEvent",
    "TrackingUpdatedEvent",
    "TrackingUpdatedEventType",
    "TrackingView",
    "UploadedView",
    "Validated",
    "ValidatedRateCard",
    "ValidateInput",
    "WeightDiscrepancyData",
    "WeightDiscrepancyFlaggedEvent",
    "WeightDiscrepancyFlaggedEventType",
    "WeightDiscrepancyMessage",
    "WeightDiscrepancyView",
    "When",
    "WhenInput",
    "WooAddress",
    "WooLine",
    "WooPackage",
    "WooRate",
    "WooRateMetaData",
    "WooRateRequest",
    "WooRates",
    "WorkingHours",
    "Zone",
    "ZoneRate",
    "ZoneRateInput",
)
