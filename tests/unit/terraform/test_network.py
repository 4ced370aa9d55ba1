"""The network module, parsed as in test_terraform.py: three zones of private and public
subnets, one NAT gateway whose Elastic IP is the stack's one address towards Shopify, endpoints
that keep AWS traffic off the NAT, flow logs, and security groups that open nothing more than
what runs needs. And the root wires it (or an existing network) into everything in the VPC.
"""

from __future__ import annotations

from typing import Any

from tests.unit.terraform.test_terraform import TERRAFORM, blocks, hcl_value, parse

NETWORK = TERRAFORM / "modules" / "network"


def _resources() -> dict[str, dict[str, Any]]:
    return blocks(NETWORK, "resource")


def _locals() -> dict[str, Any]:
    [found] = parse(NETWORK)["locals"]
    return found


def _of_type(kind: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in _resources().items() if name.startswith(f"{kind}.")}


def _toset(expression: str) -> set[str]:
    assert expression.startswith("${toset("), expression
    assert expression.endswith(")}"), expression
    return set(hcl_value(expression.removeprefix("${toset(").removesuffix(")}")))


def test_three_private_and_three_public_subnets_one_per_zone() -> None:
    subnets = _of_type("aws_subnet")
    assert set(subnets) == {"aws_subnet.private", "aws_subnet.public"}
    for name, subnet in subnets.items():
        assert subnet["count"] == 3, name
        assert subnet["vpc_id"] == "${aws_vpc.this.id}", name
        assert subnet["availability_zone"] == "${local.azs[count.index]}", name
    assert subnets["aws_subnet.public"]["map_public_ip_on_launch"] is False
    assert _locals()["private_cidrs"] == "${[for i in range(3) : cidrsubnet(var.cidr_block, 4, i)]}"
    # Exactly three named zones, so Redshift Serverless gets the three it needs.
    zones = blocks(NETWORK, "variable")["availability_zones"]
    assert (
        "length(coalesce(var.availability_zones, [])) == 3" in (zones["validation"][0]["condition"])
    )
    assert _locals()["azs"] == "${data.aws_availability_zones.available.names}"


def test_one_nat_gateway_with_an_elastic_ip_is_the_private_subnets_way_out() -> None:
    [nat] = _of_type("aws_nat_gateway").values()
    assert set(_of_type("aws_eip")) == {"aws_eip.nat"}
    eip = _resources()["aws_eip.nat"]
    assert "count" not in eip
    assert "for_each" not in eip
    assert eip["domain"] == "vpc"
    assert nat["allocation_id"] == "${aws_eip.nat.id}"
    assert nat["subnet_id"] == "${aws_subnet.public[0].id}"
    assert "count" not in nat
    routes = _of_type("aws_route")
    private = routes["aws_route.private_nat"]
    assert private["route_table_id"] == "${aws_route_table.private.id}"
    assert private["destination_cidr_block"] == "0.0.0.0/0"
    assert private["nat_gateway_id"] == "${aws_nat_gateway.this.id}"
    public = routes["aws_route.public_internet"]
    assert public["gateway_id"] == "${aws_internet_gateway.this.id}"
    # The private route table is the only way out of the private subnets.
    association = _resources()["aws_route_table_association.private"]
    assert association["count"] == 3
    assert association["subnet_id"] == "${aws_subnet.private[count.index].id}"
    assert association["route_table_id"] == "${aws_route_table.private.id}"


def test_s3_and_dynamodb_go_through_gateway_endpoints() -> None:
    gateway = _resources()["aws_vpc_endpoint.gateway"]
    assert _toset(gateway["for_each"]) == {"s3", "dynamodb"}
    assert gateway["vpc_endpoint_type"] == "Gateway"
    assert gateway["service_name"] == "com.amazonaws.${local.region}.${each.key}"
    assert gateway["route_table_ids"] == ["${aws_route_table.private.id}"]


def test_secrets_sts_and_the_data_api_go_through_interface_endpoints_with_private_dns() -> None:
    assert _toset(_locals()["interface_endpoints"]) == {"secretsmanager", "sts", "redshift-data"}
    interface = _resources()["aws_vpc_endpoint.interface"]
    assert interface["for_each"] == "${local.interface_endpoints}"
    assert interface["vpc_endpoint_type"] == "Interface"
    assert interface["private_dns_enabled"] is True
    assert interface["service_name"] == "com.amazonaws.${local.region}.${each.key}"
    assert interface["subnet_ids"] == "${aws_subnet.private[*].id}"
    assert interface["security_group_ids"] == ["${aws_security_group.endpoints.id}"]
    [https] = _resources()["aws_security_group.endpoints"]["ingress"]
    assert (https["from_port"], https["to_port"], https["protocol"]) == (443, 443, "tcp")
    assert https["cidr_blocks"] == ["${var.cidr_block}"]


def test_flow_logs_record_all_traffic_in_an_encrypted_group() -> None:
    [flow] = _of_type("aws_flow_log").values()
    assert flow["vpc_id"] == "${aws_vpc.this.id}"
    assert flow["traffic_type"] == "ALL"
    assert flow["log_destination"] == "${aws_cloudwatch_log_group.flow.arn}"
    assert flow["iam_role_arn"] == "${aws_iam_role.flow.arn}"
    group = _resources()["aws_cloudwatch_log_group.flow"]
    assert group["kms_key_id"] == "${var.kms_key_arn}"
    [write] = blocks(NETWORK, "data")["aws_iam_policy_document.flow"]["statement"]
    assert write["resources"] == ["${aws_cloudwatch_log_group.flow.arn}:*"]


def test_the_default_security_group_is_managed_and_allows_nothing() -> None:
    default = _resources()["aws_default_security_group.this"]
    assert default == {"vpc_id": "${aws_vpc.this.id}"}  # no ingress, no egress


def test_security_groups_open_only_what_runs_need() -> None:
    groups = _of_type("aws_security_group")
    [https] = groups["aws_security_group.lambda"]["egress"]
    assert (https["from_port"], https["to_port"], https["protocol"]) == (443, 443, "tcp")
    assert "ingress" not in groups["aws_security_group.lambda"]
    # Nothing reaches in from anywhere: inline ingress only from the VPC, rules only from a
    # security group of the stack.
    for name, group in groups.items():
        for rule in group.get("ingress", []):
            assert "0.0.0.0/0" not in rule.get("cidr_blocks", []), name
    for name, rule in _of_type("aws_vpc_security_group_ingress_rule").items():
        assert "cidr_ipv4" not in rule, name
        assert rule["referenced_security_group_id"].startswith("${aws_security_group."), name
    warehouse = _resources()["aws_vpc_security_group_ingress_rule.warehouse_from_quicksight"]
    assert warehouse["security_group_id"] == "${aws_security_group.warehouse.id}"
    assert warehouse["referenced_security_group_id"] == "${aws_security_group.quicksight.id}"
    assert warehouse["from_port"] == warehouse["to_port"] == "${var.warehouse_port}"


def _reaches_s3_over_https(rule: dict[str, Any]) -> bool:
    protocol = rule.get("ip_protocol", rule.get("protocol"))
    ports = protocol in ("-1", -1) or (
        protocol == "tcp"
        and isinstance(rule.get("from_port"), int)
        and isinstance(rule.get("to_port"), int)
        and rule["from_port"] <= 443 <= rule["to_port"]
    )
    anywhere = rule.get("cidr_ipv4") == "0.0.0.0/0" or "0.0.0.0/0" in rule.get("cidr_blocks", [])
    return ports and ("prefix_list_id" in rule or "prefix_list_ids" in rule or anywhere)


def test_the_warehouse_may_reach_s3_for_copy() -> None:
    workgroup = blocks(TERRAFORM / "modules" / "redshift", "resource")[
        "aws_redshiftserverless_workgroup.this"
    ]
    assert workgroup["enhanced_vpc_routing"] is True
    inline = _resources()["aws_security_group.warehouse"].get("egress", [])
    rules = [
        rule
        for rule in _of_type("aws_vpc_security_group_egress_rule").values()
        if rule["security_group_id"] == "${aws_security_group.warehouse.id}"
    ]
    https = [rule for rule in [*inline, *rules] if _reaches_s3_over_https(rule)]
    assert https, "COPY cannot reach S3 through the gateway endpoint"


def test_the_shopify_egress_ip_is_the_nat_address_and_a_stack_output() -> None:
    output = blocks(NETWORK, "output")["shopify_egress_ip"]
    assert output["value"] == "${aws_eip.nat.public_ip}"
    root = blocks(TERRAFORM, "output")["shopify_egress_ip"]
    assert root["value"] == (
        "${var.existing_network == null ? module.network[0].shopify_egress_ip : null}"
    )
    assert root["description"]


def test_the_root_runs_functions_warehouse_and_quicksight_in_the_network() -> None:
    modules = blocks(TERRAFORM, "module")
    network = modules["network"]
    assert network["count"] == "${var.existing_network == null ? 1 : 0}"
    assert network["cidr_block"] == "${var.vpc_cidr}"
    assert network["kms_key_arn"] == "${module.encryption.key_arn}"
    [wiring] = [entry for entry in parse(TERRAFORM)["locals"] if "network" in entry]
    expression = wiring["network"]
    prefix = "${var.existing_network != null ? var.existing_network : "
    assert expression.startswith(prefix), expression
    created = hcl_value(expression.removeprefix(prefix).removesuffix("}"))
    assert created == {
        "vpc_id": "${module.network[0].vpc_id}",
        "private_subnet_ids": "${module.network[0].private_subnet_ids}",
        "lambda_security_group_ids": ["${module.network[0].lambda_security_group_id}"],
        "warehouse_security_group_ids": ["${module.network[0].warehouse_security_group_id}"],
        "quicksight_security_group_ids": ["${module.network[0].quicksight_security_group_id}"],
    }
    existing = blocks(TERRAFORM, "variable")["existing_network"]
    assert existing["default"] is None
    for field in created:
        assert f"{field} = " in existing["type"], field
    for function in ("ingestion", "scheduler"):
        assert modules[function]["subnet_ids"] == "${local.network.private_subnet_ids}"
        assert modules[function]["security_group_ids"] == (
            "${local.network.lambda_security_group_ids}"
        )
    assert modules["warehouse"]["subnet_ids"] == "${local.network.private_subnet_ids}"
    assert modules["warehouse"]["security_group_ids"] == (
        "${local.network.warehouse_security_group_ids}"
    )
    assert modules["bi"]["subnet_ids"] == "${local.network.private_subnet_ids}"
    assert modules["bi"]["security_group_ids"] == ("${local.network.quicksight_security_group_ids}")
