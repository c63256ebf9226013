# Como o serverbloq.py do laboratório: atende um cliente de cada vez, na
# porta dada, SEM SO_REUSEADDR (um bind na porta falha enquanto houver
# conexões dela em TIME_WAIT). Uso: python3 bloqueante.py PORTA DELAY
import socket
import sys
import time

PORT, DELAY = int(sys.argv[1]), float(sys.argv[2])

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(('127.0.0.1', PORT))
server.listen()
print(f"[MODO BLOQUEANTE] Servidor rodando em 127.0.0.1:{PORT}", flush=True)
while True:
    conn, addr = server.accept()
    msg = conn.recv(1024)
    if msg:
        time.sleep(DELAY)
        conn.send(b"Processado (com atraso): " + msg)
    conn.close()
