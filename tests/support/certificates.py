"""Test certificates made with ``cryptography``: a private CA and the leaves the tests present.

The CA is trusted only where a test says so with :func:`trust_ca_file`, which puts it in
``SSL_CERT_FILE`` (how an OS trust store adds a private CA, as far as OpenSSL and
truststore are concerned); otherwise it is just another unknown authority.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOCAL_NAMES: tuple[str, ...] = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class Leaf:
    cert_pem: bytes
    key_pem: bytes

    def server_context(self, directory: Path, name: str) -> ssl.SSLContext:
        cert = directory / f"{name}.crt"
        key = directory / f"{name}.key"
        cert.write_bytes(self.cert_pem)
        key.write_bytes(self.key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        return context


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _san(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class Authority:
    """A private certificate authority."""

    def __init__(self, common_name: str = "Sipstory hostile-test CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = _name(common_name)
        now = _now()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=365))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, names: tuple[str, ...] = LOCAL_NAMES, *, expired: bool = False) -> Leaf:
        key = ec.generate_private_key(ec.SECP256R1())
        now = _now()
        if expired:
            start, end = now - datetime.timedelta(days=60), now - datetime.timedelta(days=30)
        else:
            start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0]))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        return Leaf(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def self_signed(names: tuple[str, ...] = LOCAL_NAMES) -> Leaf:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0]))
        .issuer_name(_name(names[0]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(_san(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Leaf(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


@dataclass
class Certificates:
    """Leaves to serve, and the private CA that issued them in a file for ``SSL_CERT_FILE``."""

    directory: Path
    ca_file: Path
    leaves: dict[str, Leaf]

    def context(self, name: str) -> ssl.SSLContext:
        return self.leaves[name].server_context(self.directory, name)


def certificate_files(
    directory: Path, authority: Authority, leaves: dict[str, Leaf]
) -> Certificates:
    ca_file = directory / "private-ca.pem"
    ca_file.write_bytes(authority.pem)
    return Certificates(directory, ca_file, leaves)


def trust_ca_file(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> Certificates:
    """Trust the private CA, as an OS trust store that holds it would (truststore + OpenSSL)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("truststore reads SSL_CERT_FILE only where it verifies with OpenSSL")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    return certificates
