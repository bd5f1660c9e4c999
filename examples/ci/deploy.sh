#!/bin/sh
# Copies public/ to the web server with rsync over SSH. Only changed files
# travel (zhibu's output is the same byte for byte when the content is),
# and files that are gone from the site are removed on the server.
#
# Environment:
#   DEPLOY_TARGET       user@host:/path/to/web/folder/   (or a local folder, for a try-out)
#   DEPLOY_KEY          private SSH key (optional when ssh already works)
#   DEPLOY_KNOWN_HOSTS  the server's host key line(s) (optional likewise)
#   DEPLOY_PORT         SSH port (default 22)
set -eu
: "${DEPLOY_TARGET:?请设置 DEPLOY_TARGET，例如 发布账号@www.example.edu.cn:/var/www/zhibu1/}"
[ -d public ] || { echo "没有 public/：请在站点目录里先运行 zhibu build" >&2; exit 1; }
command -v rsync >/dev/null 2>&1 || {
  echo "没有找到 rsync：Debian/Ubuntu 上运行 sudo apt-get install rsync（服务器上也要有 rsync）" >&2
  exit 1
}

ssh_cmd="ssh -p ${DEPLOY_PORT:-22}"
if [ -n "${DEPLOY_KEY:-}" ]; then
  mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
  printf '%s\n' "$DEPLOY_KEY" > "$HOME/.ssh/zhibu_deploy" && chmod 600 "$HOME/.ssh/zhibu_deploy"
  ssh_cmd="$ssh_cmd -i $HOME/.ssh/zhibu_deploy"
fi
if [ -n "${DEPLOY_KNOWN_HOSTS:-}" ]; then
  mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
  printf '%s\n' "$DEPLOY_KNOWN_HOSTS" >> "$HOME/.ssh/known_hosts"
fi

# 1. New styles, scripts, photos and search index first (pages still point at the old ones) …
rsync -rlz --checksum --exclude='*.html' -e "$ssh_cmd" public/ "$DEPLOY_TARGET"
# 2. … then the pages, and removal of what the site no longer has.
rsync -rlz --checksum --delete -e "$ssh_cmd" public/ "$DEPLOY_TARGET"
echo "已发布到 $DEPLOY_TARGET"
