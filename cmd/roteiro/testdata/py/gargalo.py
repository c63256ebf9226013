# Como o servergargalo.py do laboratório: listen(1), aceita um, dorme, responde
# e fecha SEM LER a tarefa do cliente (o kernel então fecha com RST em vez de
# FIN). Uso: python3 gargalo.py PORTA DELAY
import socket
import sys
import time

PORT, DELAY = int(sys.argv[1]), float(sys.argv[2])

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', PORT))
server.listen(1)
print(f"[SERVIDOR MONOTAREFA] Rodando em 127.0.0.1:{PORT}", flush=True)
while True:
    conn, addr = server.accept()
    time.sleep(DELAY)
    try:
        conn.send(b"Atendido com sucesso.")
        conn.close()
    except OSError:
        pass
