"""TLS listener, encrypted data units (§5) and 2025 signatures (§14.5) through the gateway."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import gateway_frames as f
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives import padding as block_padding
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID
from gateway_doubles import Client
from gateway_harness import GatewayFactory

from gateway.protocol.crypto import KeyRing, SymmetricKey, UnitKeys
from gateway.protocol.realtime import RealtimeData
from gateway.server.settings import TlsFiles

AES_KEY = bytes(range(16))


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gateway.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


async def test_tls_listener(make_gateway: GatewayFactory, tmp_path: Path) -> None:
    cert_path, key_path = _self_signed(tmp_path)
    harness = await make_gateway(tls=TlsFiles(cert_path, key_path))
    context = ssl.create_default_context(cafile=str(cert_path))
    client = await Client.connect(harness.port, tls=context)
    harness.clients.append(client)
    assert await client.request(f.login()) == f.LOGIN_OK
    await client.send(f.realtime())
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK
    assert len(harness.sink.items) == 1


def _aes_ecb(plain: bytes) -> bytes:
    padder = block_padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(AES_KEY), modes.ECB()).encryptor()  # noqa: S305 - §5 default
    return encryptor.update(padded) + encryptor.finalize()


def _encrypted_realtime(marker: str = f.V2016) -> bytes:
    plain = bytes.fromhex(f"{f.TIME} {f.POSITION_2016 if marker == f.V2016 else f.POSITION_2025}")
    return f.build(0x02, _aes_ecb(plain).hex(), marker=marker, encryption=0x03)


async def test_encrypted_report_with_a_key_is_decrypted_and_stored(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    harness.registry.key_ring = KeyRing({f.VIN1: UnitKeys(aes128=SymmetricKey(AES_KEY))})
    client = await harness.client()
    await client.request(f.login())
    await client.send(_encrypted_realtime())
    assert await client.request(f.heartbeat()) == f.HEARTBEAT_OK
    (item,) = harness.sink.items
    assert isinstance(item.frame.body, RealtimeData) and item.frame.ciphertext is not None


async def test_encrypted_report_without_a_key_is_refused(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    client = await harness.client()
    await client.request(f.login())
    answer = await client.request(_encrypted_realtime())
    assert answer[2:4] == b"\x02\x02"                   # 2016: error; the echoed time is unknown
    assert harness.sink.items == []
    assert harness.metrics.rejects.get("undecryptable") == 1


async def test_undecryptable_2025_report_gets_decryption_failed(
        make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    harness.registry.key_ring = KeyRing({f.VIN1: UnitKeys(aes128=SymmetricKey(AES_KEY))})
    client = await harness.client()
    await client.request(f.login(marker=f.V2025))
    broken = f.build(0x02, "00" * 15, marker=f.V2025, encryption=0x03)   # not a whole block
    assert (await client.request(broken))[:4] == b"$$\x02\x07"         # §14.2 flag 0x07


def _signed_2025_report(key: ec.EllipticCurvePrivateKey) -> bytes:
    signed = bytes.fromhex(f"{f.TIME} {f.POSITION_2025}")
    r, s = decode_dss_signature(key.sign(signed, ec.ECDSA(hashes.SHA256())))
    # §14.5: algorithm 0x03 ECC, R length WORD, R, S length WORD, S.
    block = b"\xff\x03" + b"\x00\x20" + r.to_bytes(32, "big") + b"\x00\x20" + s.to_bytes(32, "big")
    return f.build(0x02, (signed + block).hex(), marker=f.V2025)


async def test_2025_signatures_are_verified(make_gateway: GatewayFactory) -> None:
    harness = await make_gateway()
    vehicle_key, other_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    harness.registry.key_ring = KeyRing({f.VIN1: UnitKeys(signature=vehicle_key.public_key())})
    client = await harness.client()
    await client.request(f.login(marker=f.V2025))
    await client.send(_signed_2025_report(vehicle_key))
    forged = await client.request(_signed_2025_report(other_key))
    assert forged == bytes.fromhex(f"24 24 02 05 {f.VIN1_HEX} 01 00 06 {f.TIME} 30")  # §14.2 0x05
    (item,) = harness.sink.items
    assert item.frame.signature_verified is True
    assert harness.audit.reasons() == [(f.VIN1, "signature_invalid")]
