"""An S3-compatible server on 127.0.0.1 (moto in server mode), reached through boto3 over HTTP."""

import logging
import uuid

import boto3

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


class ObjectStore:
    """A moto S3 server in a thread of the test process; `bucket()` makes a fresh, empty bucket."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        # One line per S3 request would bury the test's own output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def bucket(self) -> str:
        name = f"cchc-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name

    def env(self, bucket: str) -> dict:
        """The environment that points a process of the application at `bucket`."""
        return {
            "STORAGE_BACKEND": "s3",
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": bucket,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_REGION": REGION,
        }

    def storages(self, bucket: str, base: dict) -> dict:
        """A STORAGES setting whose default is `bucket`, the rest as in `base`."""
        from boto3.s3.transfer import TransferConfig

        return {
            **base,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "endpoint_url": self.endpoint,
                    "access_key": ACCESS_KEY,
                    "secret_key": SECRET_KEY,
                    "region_name": REGION,
                    "addressing_style": "path",
                    "signature_version": "s3v4",
                    "default_acl": None,
                    "querystring_expire": 60,
                    "file_overwrite": False,
                    "object_parameters": {"ChecksumAlgorithm": "SHA256"},
                    "transfer_config": TransferConfig(multipart_threshold=256 * 1024 * 1024),
                },
            },
        }

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object of `bucket`, by key."""
        found = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                found[item["Key"]] = self.client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        return found

    def stop(self) -> None:
        self.server.stop()
