"""TLS for gRPC and NATS, as a setting.

Off by default: the embedded platform talks over loopback only. In a
deployment every process gets
  GONGSHI_TLS_CERT / GONGSHI_TLS_KEY  its own certificate and key (PEM): the
                                      gRPC server (and the NATS server the
                                      launcher starts) present them
  GONGSHI_TLS_CA                      the CA bundle that signed the peers'
                                      certificates: gRPC channels and NATS
                                      connections verify the server with it
When any of them is set, every gRPC channel and NATS connection of the
process uses TLS (one setting, no half-encrypted platform). See
docs/security.md and deploy/README.md.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from pathlib import Path

import grpc

from services.runtime.settings import Settings


def enabled(settings: Settings) -> bool:
    return bool(settings.tls_cert or settings.tls_key or settings.tls_ca)


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def check(settings: Settings) -> None:
    """Refuse a half-configured TLS setting at start-up, naming what is missing."""
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise ValueError("GONGSHI_TLS_CERT and GONGSHI_TLS_KEY must be set together")
    for name in ("tls_cert", "tls_key", "tls_ca"):
        value = getattr(settings, name)
        if value and not Path(value).is_file():
            raise ValueError(f"GONGSHI_{name.upper()}={value}: no such file")


def server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    """The gRPC server's TLS credentials, or None to serve plaintext."""
    if not settings.tls_cert:
        return None
    check(settings)
    return grpc.ssl_server_credentials([(_read(settings.tls_key), _read(settings.tls_cert))])


def channel_credentials(settings: Settings) -> grpc.ChannelCredentials | None:
    """TLS credentials for gRPC channels (CA from GONGSHI_TLS_CA, else the system roots)."""
    if not enabled(settings):
        return None
    check(settings)
    return grpc.ssl_channel_credentials(root_certificates=_read(settings.tls_ca) if settings.tls_ca else None)


def channel(settings: Settings, address: str, options: Sequence[tuple] = ()) -> grpc.Channel:
    credentials = channel_credentials(settings)
    if credentials is None:
        return grpc.insecure_channel(address, options=list(options))
    return grpc.secure_channel(address, credentials, options=list(options))


def aio_channel(
    settings: Settings, address: str, options: Sequence[tuple] = (), interceptors=None
) -> grpc.aio.Channel:
    credentials = channel_credentials(settings)
    if credentials is None:
        return grpc.aio.insecure_channel(address, options=list(options), interceptors=interceptors)
    return grpc.aio.secure_channel(address, credentials, options=list(options), interceptors=interceptors)


def nats_ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The client side of NATS TLS: verify the server with the CA; present our
    certificate too, so a server that requires client certificates accepts us."""
    if not enabled(settings):
        return None
    check(settings)
    context = ssl.create_default_context(cafile=settings.tls_ca or None)
    if settings.tls_cert:
        context.load_cert_chain(settings.tls_cert, settings.tls_key)
    return context


def nats_server_args(settings: Settings) -> list[str]:
    """nats-server flags that make the embedded server require TLS."""
    if not settings.tls_cert:
        return []
    check(settings)
    return ["--tls", "--tlscert", settings.tls_cert, "--tlskey", settings.tls_key]
