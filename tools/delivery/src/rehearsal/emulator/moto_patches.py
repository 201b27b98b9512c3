"""
Where moto 5.2 departs from CloudFormation in ways our deploys meet, each worked around by one small function.
Every patch names the behaviour it works around; `apply_patches` refuses any moto but 5.2.x, whose internals these
functions reach into. tools/delivery/tests/rehearsal-emulator.test.ts shows each one by a stack that needs it.
"""
import random
import string

import moto
from moto.apigatewayv2.models import apigatewayv2_backends
from moto.awslambda.models import LambdaVersion, lambda_backends
from moto.cloudformation import models, parsing
from moto.cloudformation.exceptions import ValidationError
from moto.core.common_models import CloudFormationModel

SUPPORTED_MOTO = "5.2."

# The model of each allowed unmodelled type, by type.
PLACEHOLDERS = {}


def validation_reports_errors_only():
    """moto's ValidateTemplate fails on any cfn-lint finding, warnings too; CloudFormation rejects only what it cannot
    run. Our templates are linted in `npm test` (errors and warnings); here only errors stop a deploy."""
    original = models.CloudFormationBackend.validate_template

    def validate_template(self, template):
        return [match for match in original(self, template) if str(match.rule.id).startswith("E")]

    models.CloudFormationBackend.validate_template = validate_template


def placeholders_for_unmodelled_types(allowed_types):
    """moto skips a type it does not model with a log line, and a Ref or GetAtt of it then fails (HTTP 500) or drops
    the output that names it. A type on the allow-list becomes a placeholder with an id and attributes, so the stack
    completes and its outputs flow on as params; any other unmodelled type fails the deploy with its name."""
    original = parsing.resource_class_from_type
    PLACEHOLDERS.update({resource_type: placeholder_model(resource_type) for resource_type in allowed_types})

    def resource_class_from_type(resource_type):
        if resource_type in PLACEHOLDERS:
            return PLACEHOLDERS[resource_type]
        if resource_type in parsing.NULL_MODELS or resource_type.startswith("Custom::") or resource_type in parsing.get_model_map():
            return original(resource_type)
        raise ValidationError(
            message=f"The deploy rehearsal's emulator does not model {resource_type}: add it to "
            "tools/delivery/src/rehearsal/emulator/unmodelled-types.json if it may go to AWS untried"
        )

    parsing.resource_class_from_type = resource_class_from_type


def placeholder_model(resource_type):
    class Placeholder(CloudFormationModel):
        # moto's model registry files a model under the service its module names.
        __module__ = "moto.cloudformation.placeholders"

        def __init__(self, logical_id):
            self.logical_id = logical_id
            self.physical_resource_id = "".join(random.choices(string.ascii_lowercase + string.digits, k=10))

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return resource_type

        @classmethod
        def has_cfn_attr(cls, attr):
            return True

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            return cls(kwargs.get("LogicalId", resource_name))

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            return original_resource

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            pass

        def get_cfn_attribute(self, attribute_name):
            if attribute_name.endswith("Arn"):
                service = resource_type.split("::")[1].lower()
                return f"arn:aws:{service}:us-east-1:123456789012:{self.logical_id}/{self.physical_resource_id}"
            return f"{self.physical_resource_id}-{attribute_name.lower()}"

        def is_created(self):
            return True

    Placeholder.__name__ = f"Placeholder{resource_type.replace('::', '')}"
    return Placeholder


def sub_variables_of_any_name():
    """moto reads `Fn::Sub` variables with Python's string.Template, whose names cannot start with a digit, then
    looks what is left up as a resource (KeyError): serverless-step-functions names its variables by hash. The
    variables given in the Sub's own map are replaced first, as CloudFormation does, whatever their names."""
    original = parsing.clean_json

    def clean_json(resource_json, resources_map):
        if isinstance(resource_json, dict) and isinstance(resource_json.get("Fn::Sub"), list):
            text, variables = resource_json["Fn::Sub"]
            text = original(text, resources_map)
            for name, value in variables.items():
                text = text.replace("${" + name + "}", str(original(value, resources_map)))
            return original({"Fn::Sub": text}, resources_map)
        return original(resource_json, resources_map)

    parsing.clean_json = clean_json


def outputs_after_change_set():
    """After ExecuteChangeSet moto keeps the stack's outputs and exports of before (none, for a stack created from a
    change set): osls deploys through change sets, so every output would be missing, and deleting the stack fails on
    exports it never registered. Both are read again from the new template."""
    original = models.CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        original(self, change_set_name, stack_name)
        change_set = self.change_sets.get(change_set_name) or next(
            cs for cs in list(self.change_sets.values()) if cs.change_set_name == change_set_name
        )
        stack = self.stacks[change_set.stack_id]
        for export in stack.exports:
            self.exports.pop(export.name, None)
        stack.template_dict = change_set.template_dict
        stack.output_map = stack._create_output_map()
        for export in stack.exports:
            self.exports[export.name] = export

    models.CloudFormationBackend.execute_change_set = execute_change_set


def created_by_moto(resource_type, create):
    """Makes the placeholder of `resource_type` create its resource in one of moto's own service backends:
    `create(properties, account_id, region_name, name)` answers the id its Ref then answers."""
    placeholder = PLACEHOLDERS[resource_type]

    class Created(placeholder):
        __module__ = "moto.cloudformation.placeholders"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            resource = cls(kwargs.get("LogicalId", resource_name))
            properties = cloudformation_json.get("Properties", {})
            resource.physical_resource_id = create(properties, account_id, region_name, resource_name)
            return resource

    PLACEHOLDERS[resource_type] = Created
    return Created


def http_apis_in_apigatewayv2():
    """An HTTP API is a placeholder like any unmodelled type, but osls asks API Gateway for the API a service attaches
    its routes to (GetApi, "Invalid API identifier" otherwise): the placeholder creates it in moto's own API Gateway
    V2, whose id its Ref answers."""

    def create(properties, account_id, region_name, name):
        return apigatewayv2_backends[account_id][region_name].create_api(
            api_key_selection_expression=None,
            cors_configuration=properties.get("CorsConfiguration"),
            description=properties.get("Description"),
            disable_schema_validation=None,
            disable_execute_api_endpoint=properties.get("DisableExecuteApiEndpoint"),
            name=properties.get("Name", name),
            protocol_type=properties.get("ProtocolType", "HTTP"),
            route_selection_expression=None,
            tags=properties.get("Tags", {}),
            version=None,
        ).api_id

    api = created_by_moto("AWS::ApiGatewayV2::Api", create)
    placeholder_attribute = api.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "ApiEndpoint":
            return f"https://{self.physical_resource_id}.execute-api.us-east-1.amazonaws.com"
        return placeholder_attribute(self, attribute_name)

    api.get_cfn_attribute = get_cfn_attribute


def lambda_versions_answer_their_number():
    """moto's Lambda version answers `Ref` with its logical id and has no `Version` attribute; CloudFormation answers
    the version's ARN and its number, which an alias names."""

    def physical_resource_id(self):
        return f"{self.function_arn}:{self.version}"

    def get_cfn_attribute(self, attribute_name):
        if attribute_name == "Version":
            return self.version
        raise NotImplementedError(attribute_name)

    original = LambdaVersion.create_from_cloudformation_json.__func__

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        version = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        function = lambda_backends[account_id][region_name].get_function(cloudformation_json["Properties"]["FunctionName"])
        version.function_arn = function.function_arn
        return version

    LambdaVersion.physical_resource_id = property(physical_resource_id)
    LambdaVersion.get_cfn_attribute = get_cfn_attribute
    LambdaVersion.create_from_cloudformation_json = create_from_cloudformation_json


def lambda_aliases_in_lambda():
    """moto does not model AWS::Lambda::Alias in CloudFormation, and a permission on the alias (`…:live`, prod's
    routes) then fails with "Function not found". The alias is created in moto's own Lambda."""

    def create(properties, account_id, region_name, name):
        return lambda_backends[account_id][region_name].create_alias(
            name=properties["Name"],
            function_name=properties["FunctionName"],
            function_version=str(properties["FunctionVersion"]),
            description=properties.get("Description", ""),
            routing_config=None,
        ).arn

    created_by_moto("AWS::Lambda::Alias", create)


def depends_on_honoured():
    """moto creates the resources a change set adds in template order, ignoring DependsOn: prod's permission on a
    function's `live` alias came before the alias. A resource's DependsOn are created before it, as CloudFormation does."""
    original = parsing.ResourceMap.__getitem__

    def getitem(self, key):
        resource_json = self._resource_json_map.get(key)
        if key not in self._parsed_resources and isinstance(resource_json, dict):
            depends_on = resource_json.get("DependsOn") or []
            for dependency in [depends_on] if isinstance(depends_on, str) else depends_on:
                if dependency in self._resource_json_map and dependency not in self._parsed_resources:
                    getitem(self, dependency)
        return original(self, key)

    parsing.ResourceMap.__getitem__ = getitem


def route_settings_name_existing_routes():
    """API Gateway refuses a stage whose RouteSettings name a route the API does not have yet ("Unable to find Route by
    key …"); placeholders would accept anything, and a stage's first deploy that only works in the second pass would
    go unseen. Routes are remembered per API, and a stage's route settings must name them."""
    routes = set()
    route, stage = PLACEHOLDERS["AWS::ApiGatewayV2::Route"], PLACEHOLDERS["AWS::ApiGatewayV2::Stage"]

    class Route(route):
        __module__ = "moto.cloudformation.placeholders"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json.get("Properties", {})
            routes.add((properties.get("ApiId"), properties.get("RouteKey")))
            return super().create_from_cloudformation_json(resource_name, cloudformation_json, account_id, region_name, **kwargs)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            properties = cloudformation_json.get("Properties", {})
            routes.discard((properties.get("ApiId"), properties.get("RouteKey")))

    class Stage(stage):
        __module__ = "moto.cloudformation.placeholders"

        @classmethod
        def check(cls, cloudformation_json):
            properties = cloudformation_json.get("Properties", {})
            for route_key in properties.get("RouteSettings") or {}:
                if (properties.get("ApiId"), route_key) not in routes:
                    raise ValidationError(message=f"Unable to find Route by key {route_key} within the provided RouteSettings")

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            cls.check(cloudformation_json)
            return super().create_from_cloudformation_json(resource_name, cloudformation_json, account_id, region_name, **kwargs)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            cls.check(cloudformation_json)
            return original_resource

    PLACEHOLDERS["AWS::ApiGatewayV2::Route"] = Route
    PLACEHOLDERS["AWS::ApiGatewayV2::Stage"] = Stage


def apply_patches(allowed_types):
    if not moto.__version__.startswith(SUPPORTED_MOTO):
        raise SystemExit(f"The deploy rehearsal needs moto {SUPPORTED_MOTO}x (found {moto.__version__}): its patches reach into moto's internals")
    validation_reports_errors_only()
    placeholders_for_unmodelled_types(allowed_types)
    http_apis_in_apigatewayv2()
    route_settings_name_existing_routes()
    lambda_versions_answer_their_number()
    lambda_aliases_in_lambda()
    depends_on_honoured()
    sub_variables_of_any_name()
    outputs_after_change_set()
