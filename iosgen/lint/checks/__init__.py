"""lint/checks"""
