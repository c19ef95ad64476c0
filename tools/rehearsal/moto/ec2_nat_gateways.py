"""NAT gateways release what they hold, as on AWS (moto 5.2.1 keeps their network interface and EIP link).

On AWS, deleting a public NAT gateway disassociates its Elastic IP address without releasing it (EC2 API
Reference, "DeleteNatGateway"), and the requester-managed network interface the gateway was created with
is detached and deleted with it (EC2 User Guide, "Requester-managed network interfaces"); see
docs/sources.md. moto 5.2.1 only marks the gateway "deleted": its interface stays in the subnet and the EIP stays
associated to it, so an emulator that ran a destroy still holds one interface per deleted NAT gateway.

moto also creates the interface before it associates the EIP, so a CreateNatGateway refused because the
EIP is already associated leaves an interface behind; AWS refuses such a request without creating
anything. This correction checks the EIP first.
"""

import sys



def _line(text):
    # One write per line: moto answers on many threads, and print() writes the newline separately.
    sys.stderr.write(text + "\n")
    sys.stderr.flush()

def _say(message):
    _line("[rehearsal] " + message)


def install():
    try:
        from moto.ec2.exceptions import ResourceAlreadyAssociatedError
        from moto.ec2.models import nat_gateways
    except Exception as error:  # moto missing or restructured: nothing to correct
        _say("not applied: NAT gateway interfaces and EIPs released on delete (%s)" % error)
        return
    backend = getattr(nat_gateways, "NatGatewayBackend", None)
    create = getattr(backend, "create_nat_gateway", None)
    delete = getattr(backend, "delete_nat_gateway", None)
    if not callable(create) or not callable(delete):
        _say("not applied: NAT gateway interfaces and EIPs released on delete (NatGatewayBackend changed)")
        return

    def create_nat_gateway(self, subnet_id, allocation_id, tags=None, connectivity_type="public"):
        if allocation_id and connectivity_type != "private":
            eip = self.address_by_allocation([allocation_id])[0]
            if getattr(eip, "eni", None) is not None or getattr(eip, "instance", None) is not None:
                raise ResourceAlreadyAssociatedError(eip.public_ip)
        return create(self, subnet_id, allocation_id, tags, connectivity_type)

    def delete_nat_gateway(self, nat_gateway_id):
        gateway = delete(self, nat_gateway_id)
        interface = getattr(gateway, "_eni", None)
        if interface is not None:
            for eip in list(self.addresses):
                if getattr(eip, "eni", None) is not None and eip.eni.id == interface.id:
                    self.disassociate_address(address=eip.public_ip)
            self.enis.pop(interface.id, None)
        return gateway

    backend.create_nat_gateway = create_nat_gateway
    backend.delete_nat_gateway = delete_nat_gateway
    _say("applied: NAT gateway interface deleted and EIP disassociated on delete; refused creates leave nothing")


install()
