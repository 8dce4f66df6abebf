# syntax=docker/dockerfile:1
#
# BillingPortal: build with the .NET SDK, run on the ASP.NET Core runtime as the non-root `app` user.
#
#   docker build -t billingportal .
#   docker run -p 8080:8080 -v billingportal-data:/data billingportal           # SQLite in /data
#   docker run --rm -v billingportal-data:/data billingportal migrate           # any command of the CLI
#
# Base images: .NET 10 ships no Debian images; its default tags are Ubuntu 24.04 "noble" (Debian-derived, apt).
# The tags below name the distribution so the apt package names stay right when the default changes.
ARG DOTNET_VERSION=10.0

# ---------------------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the project files alone, so this layer stays cached until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY BillingPortal/BillingPortal.csproj BillingPortal/
COPY BillingPortal.Core/BillingPortal.Core.csproj BillingPortal.Core/
COPY BillingPortal.Sandbox/BillingPortal.Sandbox.csproj BillingPortal.Sandbox/
RUN dotnet restore BillingPortal/BillingPortal.csproj

# Then the sources (.dockerignore keeps out bin/obj, tests, data, logs and secrets) and publish.
COPY . .
RUN dotnet publish BillingPortal/BillingPortal.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# ---------------------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble AS final

# ICU (es-PE number and date formats), tzdata (America/Lima), fonts for PDF statements, curl for HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libicu74 \
        tzdata \
        fonts-liberation \
        fonts-dejavu-core \
        curl \
    && rm -rf /var/lib/apt/lists/*

# The base image defines APP_UID (the `app` user) and listens on 8080 (ASPNETCORE_HTTP_PORTS).
# Logs go to the console (docker logs) and to rolling JSON files under /data/logs.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__DataDirectory=/data \
    Serilog__WriteTo__Console__Name=Console \
    Serilog__WriteTo__File__Args__path=/data/logs/billingportal-.json

RUN mkdir -p /data/logs && chown -R "$APP_UID:$APP_UID" /data
VOLUME /data

WORKDIR /app
COPY --from=build /app ./

USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --show-error --output /dev/null http://localhost:8080/health/live || exit 1

ENTRYPOINT ["dotnet", "BillingPortal.dll"]
