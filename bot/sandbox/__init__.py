"""The sandbox: copbot without a Slack account, against a local Slack stand-in."""
